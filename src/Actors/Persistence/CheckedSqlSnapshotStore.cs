using Akka.Configuration;
using Akka.Persistence;
using Akka.Persistence.Sql.Snapshot;

namespace DPlaneOS.Actors.Persistence;

/// <summary>
/// The SQL snapshot store that offers only this daemon's snapshots: one whose payload is not an
/// <see cref="IPersistedEvent"/> fails the load (and so the owner's recovery) with a
/// <see cref="ForeignRowException"/> naming its persistence id and sequence number.
/// </summary>
public sealed class CheckedSqlSnapshotStore(Config snapshotConfig) : SqlSnapshotStore(snapshotConfig)
{
    protected override async Task<SelectedSnapshot?> LoadAsync(string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken cancellationToken)
    {
        var selected = await base.LoadAsync(persistenceId, criteria, cancellationToken).ConfigureAwait(false);
        if (selected is not null && selected.Snapshot is not IPersistedEvent)
            throw ForeignRowException.Snapshot(selected.Metadata.PersistenceId, selected.Metadata.SequenceNr, selected.Snapshot);
        return selected;
    }
}
