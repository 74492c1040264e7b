namespace DPlaneOS.Actors.Configuration;

/// <summary>
/// Everything under the configuration section <c>DPlaneOS</c>. Every interval and threshold is a
/// setting with the spec's default, overridable by appsettings.json, <c>--config FILE</c> or
/// environment variables such as <c>DPlaneOS__Status__RefreshInterval=00:00:05</c>.
/// </summary>
public sealed class DPlaneOSOptions
{
    public const string Section = "DPlaneOS";

    /// <summary>Where the token hash, the SQLite database and other state live.</summary>
    public string DataDir { get; set; } = "/var/lib/dplaneos";

    /// <summary>This node's name in events, audit records and alerts; empty: the host name.</summary>
    public string? NodeName { get; set; }

    public LoggingOptions Logging { get; set; } = new();

    public PersistenceOptions Persistence { get; set; } = new();

    public ZfsOptions Zfs { get; set; } = new();

    public StatusOptions Status { get; set; } = new();

    public SmartOptions Smart { get; set; } = new();

    public CapacityOptions Capacity { get; set; } = new();

    public WatchOptions Watch { get; set; } = new();

    public HeartbeatOptions Heartbeat { get; set; } = new();

    public DockerOptions Docker { get; set; } = new();

    public AuditOptions Audit { get; set; } = new();

    public SnapshotOptions Snapshots { get; set; } = new();

    public SupportBundleOptions SupportBundle { get; set; } = new();

    public AlertDeliveryOptions AlertDelivery { get; set; } = new();

    public GitOpsOptions GitOps { get; set; } = new();

    public AlertOptions Alerts { get; set; } = new();

    public SupervisionOptions Supervision { get; set; } = new();

    public FleetOptions Fleet { get; set; } = new();
}

public sealed class LoggingOptions
{
    /// <summary><c>console</c> (readable, the default) or <c>json</c> (compact JSON, one event per line).</summary>
    public string Format { get; set; } = "console";

    public string MinimumLevel { get; set; } = "Information";
}

public sealed class PersistenceOptions
{
    /// <summary>
    /// Empty: the embedded SQLite file <c>&lt;DataDir&gt;/dplaneos.db</c>. A PostgreSQL connection
    /// string (<c>Host=…;Database=…</c>) switches to PostgreSQL.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary><c>sqlite</c> or <c>postgresql</c>; inferred from the connection string when empty.</summary>
    public string? Provider { get; set; }
}

public sealed class ZfsOptions
{
    public string ZpoolPath { get; set; } = "zpool";

    public string ZfsPath { get; set; } = "zfs";

    public string SmartctlPath { get; set; } = "smartctl";

    public string SmbstatusPath { get; set; } = "smbstatus";

    /// <summary>Deadline for one host command; a hung zpool never hangs the daemon.</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The pools this daemon looks after; empty: every imported pool. Others are invisible to it (health,
    /// capacity, heartbeats, GitOps live state), so several daemons can share one host's ZFS.
    /// </summary>
    public List<string> Pools { get; set; } = [];

    /// <summary>Throws on a <see cref="Pools"/> entry that is not a pool name, naming it.</summary>
    public void Validate()
    {
        foreach (var pool in Pools)
            if (DPlaneOS.Zfs.NameRules.PoolNameError(pool) is { } error)
                throw new InvalidOperationException($"DPlaneOS:Zfs:Pools: '{pool}' is not a pool name: {error}");
    }
}

public sealed class StatusOptions
{
    /// <summary>How often pool status, list, iostat and events are read (spec: 10 s).</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How many ZFS events are kept for <c>GET /api/zfs/events</c>.</summary>
    public int EventsKept { get; set; } = 500;
}

public sealed class SmartOptions
{
    /// <summary>How often SMART data is read per disk (spec: 30 min).</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Deadline per disk; disks are read in parallel.</summary>
    public TimeSpan PerDiskTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Temperature (°C) from which a disk's risk rises.</summary>
    public int TemperatureWarningCelsius { get; set; } = 55;
}
