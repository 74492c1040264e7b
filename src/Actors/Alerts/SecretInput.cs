namespace DPlaneOS.Actors.Alerts;

/// <summary>
/// A write-only value (a password, a webhook secret, a header value) as a request gives it. Reads
/// show <see cref="Mask"/> in its place; sending the mask back, or leaving the field out, keeps the
/// stored value, so a form round trip never overwrites a secret with its mask.
/// </summary>
public readonly record struct SecretInput(SecretInput.Change Action, string? Value)
{
    public const string Mask = "********";

    public enum Change
    {
        Keep,
        Clear,
        Set,
    }

    public static readonly SecretInput Keep = new(Change.Keep, null);
    public static readonly SecretInput Clear = new(Change.Clear, null);

    public static SecretInput Set(string value) => new(Change.Set, value);

    /// <summary>Absent or masked keeps, null or empty clears, anything else sets.</summary>
    public static SecretInput FromRequest(bool present, string? value) => !present || value == Mask
        ? Keep
        : string.IsNullOrEmpty(value) ? Clear : Set(value);

    public string? ApplyTo(string? stored) => Action switch
    {
        Change.Keep => stored,
        Change.Clear => null,
        _ => Value,
    };

    /// <summary>Never the value: messages holding one may reach logs (dead letters, debug logging).</summary>
    public override string ToString() => Action == Change.Set ? $"Set({Mask})" : Action.ToString();

    /// <summary>What a read shows for a stored secret: the mask, or null when none is stored.</summary>
    public static string? Show(string? stored) => stored is null ? null : Mask;
}
