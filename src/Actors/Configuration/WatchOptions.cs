using DPlaneOS.Zfs.Watch;

namespace DPlaneOS.Actors.Configuration;

/// <summary><c>DPlaneOS:Watch</c>: file watching (inotify) on configured paths, and inotify usage.</summary>
public sealed class WatchOptions
{
    /// <summary>Directories to watch (<c>DPlaneOS:Watch:Paths:0</c>, …). Empty: nothing is watched.</summary>
    public List<string> Paths { get; set; } = [];

    /// <summary>Watch subdirectories too (one inotify watch per directory).</summary>
    public bool Recursive { get; set; } = true;

    /// <summary>Changes to one path within this window become one <c>file.changed</c> event.</summary>
    public TimeSpan Coalesce { get; set; } = TimeSpan.FromSeconds(1);

    public InotifyOptions Inotify { get; set; } = new();

    /// <summary>Throws with what is wrong; called while the actor system starts.</summary>
    public void Validate()
    {
        if (Coalesce <= TimeSpan.Zero) throw new InvalidOperationException($"DPlaneOS:Watch:Coalesce {Coalesce} must be positive.");
        if (Inotify.Interval <= TimeSpan.Zero) throw new InvalidOperationException($"DPlaneOS:Watch:Inotify:Interval {Inotify.Interval} must be positive.");
        if (Inotify.Thresholds.Check() is { } error)
            throw new InvalidOperationException($"DPlaneOS:Watch:Inotify: {error} (Warning {Inotify.Warning}, Critical {Inotify.Critical}, Hysteresis {Inotify.Hysteresis}).");
        if (Paths.FirstOrDefault(p => !Path.IsPathFullyQualified(p)) is { } relative)
            throw new InvalidOperationException($"DPlaneOS:Watch:Paths: '{relative}' is not an absolute path.");
    }
}

/// <summary><c>DPlaneOS:Watch:Inotify</c>: how often inotify watches are counted and when that is a problem.</summary>
public sealed class InotifyOptions
{
    /// <summary>How often the watches in /proc are counted (spec: 30 s).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Percent of <c>max_user_watches</c> from which usage is a warning.</summary>
    public double Warning { get; set; } = 80;

    /// <summary>Percent of <c>max_user_watches</c> from which usage is critical.</summary>
    public double Critical { get; set; } = 90;

    /// <summary>Percentage points below a threshold before its level is left.</summary>
    public double Hysteresis { get; set; } = 2;

    /// <summary>Where procfs is mounted (tests point it at a fake tree).</summary>
    public string ProcRoot { get; set; } = "/proc";

    public UsageThresholds Thresholds => new(Warning, Critical, Hysteresis);
}
