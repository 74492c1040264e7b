namespace DPlaneOS.Actors.Hosting;

/// <summary>The MonitorEvent types <see cref="Supervision"/> publishes, and their data keys.</summary>
public static class SupervisionEvents
{
    /// <summary>
    /// Critical: a child crashed (or stopped) <c>DPlaneOS:Supervision:MaxRetries</c> times in a row and is not
    /// restarted again; what it did (a heartbeat, a sink, the audit writer) is not done until the daemon restarts.
    /// The subject is the child's actor path.
    /// </summary>
    public const string GaveUp = "supervision.gave-up";

    public const string RetriesKey = "retries";
}
