using System.Text;

namespace DPlaneOS.Actors.Support;

/// <summary>
/// Secrets kept as files in the data dir: the admin API token's clear text (<c>api-token</c>,
/// present until the admin deletes it) and the audit chain key (<c>audit.key</c>, raw bytes, also
/// masked as text if it was stored as text). A missing file is no secret; an unreadable one throws.
/// </summary>
public sealed class DataDirSecretSource(DataDirectory dataDir) : ISecretSource
{
    public const string ApiTokenFile = "api-token";
    public const string AuditKeyFile = "audit.key";

    public async ValueTask<IReadOnlyList<SecretValue>> GetSecretsAsync(CancellationToken cancellationToken)
    {
        var secrets = new List<SecretValue>();
        var token = dataDir.File(ApiTokenFile);
        if (File.Exists(token))
        {
            var text = (await File.ReadAllTextAsync(token, cancellationToken).ConfigureAwait(false)).Trim();
            if (text.Length > 0) secrets.Add(SecretValue.FromText("api-token", text));
        }
        var key = dataDir.File(AuditKeyFile);
        if (File.Exists(key))
        {
            var bytes = await File.ReadAllBytesAsync(key, cancellationToken).ConfigureAwait(false);
            if (bytes.Length > 0) secrets.Add(SecretValue.FromBytes("audit-key", bytes));
            if (AsText(bytes) is { } text) secrets.Add(SecretValue.FromText("audit-key", text));
        }
        return secrets;
    }

    private static string? AsText(byte[] bytes)
    {
        if (bytes.Any(b => b is < 0x20 and not (0x0a or 0x0d) or >= 0x7f)) return null;
        var text = Encoding.ASCII.GetString(bytes).Trim();
        return text.Length > 0 ? text : null;
    }
}
