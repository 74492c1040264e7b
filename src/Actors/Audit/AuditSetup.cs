using Akka;
using DPlaneOS.Actors.Hosting;

namespace DPlaneOS.Actors.Audit;

/// <summary>Creates the audit key and <c>/user/audit</c> at start; registered as <see cref="AuditLog"/>.</summary>
public static class AuditSetup
{
    public const string ActorName = "audit";

    /// <summary>The persistence id of <paramref name="node"/>'s chain, <c>audit-&lt;journal name&gt;</c>.</summary>
    public static string PersistenceId(NodeIdentity node) => node.PersistenceId("audit");

    /// <summary>Creates the audit key and starts <c>/user/audit</c> (the chain's writer) and <c>/user/audit-verify</c>.</summary>
    public static AkkaConfigurationBuilder AddAuditActors(this AkkaConfigurationBuilder builder) =>
        builder.WithActors((system, registry, resolver) =>
            StartAuditLog(system, registry, resolver.GetService<DataDirectory>().Path, resolver.GetService<AuditOptions>(),
                resolver.GetService<TimeProvider>(), resolver.GetService<NodeIdentity>()));

    private static void StartAuditLog(ActorSystem system, IActorRegistry registry, string dataDir, AuditOptions options, TimeProvider time, NodeIdentity node)
    {
        var key = AuditKey.LoadOrCreate(dataDir, out var created, out var tightened);
        var log = Logging.GetLogger(system, typeof(AuditSetup));
        if (created) log.Info("Created the audit chain key {0} (mode 0600)", Path.Combine(dataDir, AuditKey.FileName));
        if (tightened) log.Warning("The audit chain key {0} was readable by others; set it to 0600", Path.Combine(dataDir, AuditKey.FileName));

        // One anchor file object for every incarnation of the writer: it serializes their writes.
        var anchor = AuditAnchorFile.InDataDir(dataDir, key);
        var mediator = LocalBus.Get(system).Mediator;
        var writer = Props.Create(() => new AuditLog(key, options, time, node, true, anchor, mediator));
        // A journal failure stops the writer (Akka's rule); the parent restarts it with backoff and
        // recovery rebuilds the head from the journal. Messages to /user/audit reach the writer.
        var audit = Supervision.For(system).RestartOnStop(system, writer, ActorName, "writer");
        registry.Register<AuditLog>(audit);

        if (options.VerifyInterval > TimeSpan.Zero)
        {
            var keyPath = Path.Combine(dataDir, AuditKey.FileName);
            AuditChainWatch.Verify verify = (head, ct) => VerifyChainAsync(system, node, keyPath, head, ct);
            system.ActorOf(Props.Create(() => new AuditChainWatch(audit, verify, options.VerifyInterval, WatchHeadTimeout,
                PersistenceId(node), node.Name, time, mediator)), WatchName);
        }

        // After the gateway has stopped taking requests, before actors stop: the anchor catches up with the last batch.
        CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseServiceStop, "audit-settle-anchor", async () =>
        {
            try
            {
                var settled = await audit.Ask<AuditLog.Protocol.AnchorSettled>(AuditLog.Protocol.SettleAnchor.Instance, SettleTimeout).ConfigureAwait(false);
                log.Info("Audit tail anchor at sequence {0} for shutdown", settled.Sequence);
            }
            catch (AskTimeoutException)
            {
                log.Warning("The audit tail anchor did not settle within {0} at shutdown; it may be a batch behind the journal", SettleTimeout);
            }
            return Done.Instance;
        });
    }

    private static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(5);

    // The writer answers for its head only after its start check; a large journal may take a while to recover.
    private static readonly TimeSpan WatchHeadTimeout = TimeSpan.FromSeconds(30);

    public const string WatchName = "audit-verify";

    public static AuditJournalReader Reader(ActorSystem system, NodeIdentity node) => new(system, PersistenceId(node));

    /// <summary>
    /// What <c>GET /api/system/audit/verify-chain</c> and the periodic check both answer: every record as
    /// stored in the database, checked with the key as it is on disk now (so a replaced key shows) and
    /// against <paramref name="writerHead"/>, what the running writer last persisted (null when it did not answer).
    /// </summary>
    public static async Task<AuditVerification> VerifyChainAsync(ActorSystem system, NodeIdentity node, string keyPath, AuditHead? writerHead, CancellationToken cancellationToken)
    {
        AuditKey key;
        try
        {
            key = AuditKey.Load(keyPath);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            return new AuditVerification(false, 0, null, $"The chain cannot be verified: {ex.Message}", 0, null);
        }
        return await Reader(system, node).VerifyAsync(key, writerHead, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The key file as it is on disk now (verification uses it, so a replaced key shows).</summary>
    public static string KeyPath(DataDirectory dataDir) => dataDir.File(AuditKey.FileName);
}
