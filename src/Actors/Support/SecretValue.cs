using System.Text;

namespace DPlaneOS.Actors.Support;

/// <summary>
/// A value that must never leave the daemon: a password, token, webhook secret or key. The
/// redactor masks it in plain text, hex and base64 forms.
/// </summary>
/// <param name="Label">Where it comes from ("api-token file"); shown in the mask, so never the value itself.</param>
/// <param name="Bytes">The secret's bytes (UTF-8 for text secrets).</param>
/// <param name="Text">The secret as text, when it is text.</param>
public sealed record SecretValue(string Label, byte[] Bytes, string? Text)
{
    public static SecretValue FromText(string label, string text) => new(label, Encoding.UTF8.GetBytes(text), text);

    public static SecretValue FromBytes(string label, byte[] bytes) => new(label, bytes, null);
}
