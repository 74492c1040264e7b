using DPlaneOS.Actors.Audit;
using DPlaneOS.Actors.Hosting;

namespace DPlaneOS.Actors.Support.Sections;

/// <summary>
/// <c>audit/</c>: the newest audit records as stored in the database, and the chain check, so a
/// bug report shows what was changed and whether the record of it is intact. Never the key.
/// </summary>
public sealed class AuditBundleSection(ActorSystem system, IRequiredActor<AuditLog> audit, DataDirectory dataDir, NodeIdentity node) : IBundleSection
{
    public const int RecordsKept = 500;

    public string Name => "audit";

    public async IAsyncEnumerable<BundleEntry> EntriesAsync(
        BundleContext context, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var head = await audit.AskAsync<AuditLog, AuditLog.Protocol.Head>(AuditLog.Protocol.GetHead.Instance, cancellationToken).ConfigureAwait(false);
        var last = head.Last.Sequence;
        yield return BundleEntries.Json("audit/records.json", context.Json, async ct =>
            await AuditSetup.Reader(system, node).ReadAsync(Math.Max(1, last - RecordsKept + 1), last, ct).ConfigureAwait(false));
        yield return BundleEntries.Json("audit/verify-chain.json", context.Json, async ct =>
            await AuditSetup.Reader(system, node).VerifyAsync(AuditKey.Load(AuditSetup.KeyPath(dataDir)), head.Last, ct).ConfigureAwait(false));
    }
}
