using DPlaneOS.Actors.Storage.Capacity;
using DPlaneOS.Actors.Storage.Docker;

namespace DPlaneOS.Actors.Configuration;

/// <summary>Settings of the audit chain (configuration section <c>DPlaneOS:Audit</c>).</summary>
public sealed class AuditOptions
{
    /// <summary>Monitor events that are automatic actions and so go into the audit chain, unless configured.</summary>
    public static readonly IReadOnlyList<string> DefaultActionEventTypes =
        [DockerEvents.Stopped, DockerEvents.Restarted, CapacityEvents.ReserveReleased, "gitops.apply.*"];

    /// <summary>
    /// Event type patterns (<c>*</c> matches any run of characters) of the monitor events recorded as
    /// automatic actions. Null: <see cref="DefaultActionEventTypes"/>. A configured list replaces the
    /// defaults (it is not appended to them, which is why the default is not a list initializer).
    /// </summary>
    public List<string>? ActionEventTypes { get; set; }

    /// <summary>How long a mutating request waits for its audit record to be persisted before it fails with 500.</summary>
    public TimeSpan PersistTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Most records written in one journal transaction; more waiting records go in the next one.</summary>
    public int MaxBatch { get; set; } = 500;

    /// <summary>A snapshot of the chain head every N records keeps recovery short; verification never uses it.</summary>
    public int SnapshotEvery { get; set; } = 1000;

    /// <summary>
    /// How often the chain is verified without being asked (as <c>GET /api/system/audit/verify-chain</c> does),
    /// counted from the end of the previous check; the first check runs at start. Zero turns it off.
    /// </summary>
    public TimeSpan VerifyInterval { get; set; } = TimeSpan.FromHours(1);

    public IReadOnlyList<string> EffectiveActionEventTypes => ActionEventTypes ?? DefaultActionEventTypes;
}
