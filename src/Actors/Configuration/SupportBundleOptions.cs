namespace DPlaneOS.Actors.Configuration;

/// <summary><c>DPlaneOS:SupportBundle</c>: what <c>POST /api/system/support-bundle</c> collects and how.</summary>
public sealed class SupportBundleOptions
{
    /// <summary>Deadline for each command in the bundle; a command past it becomes an error entry.</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How many entries are collected ahead of the one being written (bounds memory: this × MaxEntryBytes).</summary>
    public int Parallelism { get; set; } = 4;

    /// <summary>Largest entry; longer output is cut and says so. Also what is captured of each command's output.</summary>
    public int MaxEntryBytes { get; set; } = 8 * 1024 * 1024;

    public string JournalctlPath { get; set; } = "journalctl";

    public string JournalUnit { get; set; } = "dplaned";

    public int JournalLines { get; set; } = 2000;

    /// <summary>
    /// Further values that must never appear in a bundle, e.g. a tunnel secret in the NixOS
    /// configuration that the daemon cannot know otherwise. Masked like every other secret.
    /// </summary>
    public List<string> ExtraSecrets { get; set; } = [];
}
