namespace DPlaneOS.Actors.Support;

/// <summary><c>manifest.json</c>, the last entry of every bundle: what is in it and how each piece was made.</summary>
/// <param name="Redaction">How many secrets were masked wherever they appeared.</param>
public sealed record BundleManifest(
    string Format,
    DateTimeOffset GeneratedAt,
    string Host,
    string Version,
    IReadOnlyList<BundleManifestEntry> Entries,
    IReadOnlyList<BundleSkippedEntry> Skipped,
    BundleRedaction Redaction);

/// <summary>One file of the bundle. Name is relative to the bundle's top folder; Sha256 is lower-case hex of its bytes.</summary>
public sealed record BundleManifestEntry(
    string Name, long Bytes, string Sha256, string? Command, int? ExitCode, long DurationMs, string? Error, bool Truncated);

/// <summary>Something the bundle would hold on another system, and why it does not here.</summary>
public sealed record BundleSkippedEntry(string Name, string Reason, string? Command);

/// <param name="Secrets">Secrets searched for in every entry.</param>
/// <param name="TooShort">Secrets too short to search for safely (still masked in settings by name).</param>
public sealed record BundleRedaction(int Secrets, int TooShort);
