using Akka.Persistence;

namespace DPlaneOS.Actors.Node;

/// <summary>
/// Journals every start of the daemon, so an admin can see restarts (crash loops, OTA reboots)
/// and so the configured database is proven writable at startup, not at the first alert.
/// </summary>
public sealed class NodeLifecycleActor : ReceivePersistentActor
{
    private const int Kept = 50;
    private readonly string _version;
    private readonly TimeProvider _time;
    private readonly NodeIdentity _node;
    private List<Protocol.NodeStarted> _starts = [];

    public NodeLifecycleActor(string version, TimeProvider time, NodeIdentity node)
    {
        _version = version;
        _time = time;
        _node = node;
        Recover<Protocol.NodeStarted>(Remember);
        Recover<SnapshotOffer>(offer => _starts = ((Protocol.StartsSnapshot)offer.Snapshot).Starts.ToList());
        Recover<RecoveryCompleted>(_ => JournalThisStart());
        Command<Protocol.GetStarts>(_ => Sender.Tell(new Protocol.Starts(_starts.AsEnumerable().Reverse().ToList())));
        Command<SaveSnapshotSuccess>(_ => { });
        Command<SaveSnapshotFailure>(_ => { });
    }

    public override string PersistenceId => _node.PersistenceId("node-lifecycle");

    private void JournalThisStart()
    {
        Persist(new Protocol.NodeStarted(_version, _node.Name, _time.GetUtcNow()), started =>
        {
            Remember(started);
            if (LastSequenceNr % Kept == 0) SaveSnapshot(new Protocol.StartsSnapshot(_starts));
        });
    }

    private void Remember(Protocol.NodeStarted started)
    {
        _starts.Add(started);
        if (_starts.Count > Kept) _starts.RemoveAt(0);
    }

    public static class Protocol
    {
        [PersistedAs("node.started.v1")]
        /// <param name="Host">The node's name at that start (<see cref="NodeIdentity.Name"/>).</param>
        public sealed record NodeStarted(string Version, string Host, DateTimeOffset At) : IPersistedEvent;

        [PersistedAs("node.starts-snapshot.v1")]
        public sealed record StartsSnapshot(IReadOnlyList<NodeStarted> Starts) : IPersistedEvent;

        public sealed record GetStarts
        {
            public static readonly GetStarts Instance = new();
        }

        /// <summary>Newest first.</summary>
        public sealed record Starts(IReadOnlyList<NodeStarted> Items);
    }
}
