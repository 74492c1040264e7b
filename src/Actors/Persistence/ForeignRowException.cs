namespace DPlaneOS.Actors.Persistence;

/// <summary>
/// A journal row or snapshot that is not a record of this daemon, refused at recovery: the persistent
/// actor that owns it stops (and its supervisor retries with backoff) until the row is removed; every
/// other actor recovers and runs. The message names the row, for the one error line Akka logs.
/// </summary>
public sealed class ForeignRowException(string kind, string persistenceId, long sequenceNr, object? payload)
    : Exception($"Refused the {kind} of '{persistenceId}' at sequence number {sequenceNr}: {Describe(payload)}; " +
                "the actor that owns it does not start until the row is removed")
{
    public string PersistenceId { get; } = persistenceId;

    public long SequenceNr { get; } = sequenceNr;

    public static ForeignRowException JournalRow(string persistenceId, long sequenceNr, object? payload) =>
        new("journal row", persistenceId, sequenceNr, payload);

    public static ForeignRowException Snapshot(string persistenceId, long sequenceNr, object? payload) =>
        new("snapshot", persistenceId, sequenceNr, payload);

    private static string Describe(object? payload) => payload switch
    {
        ForeignPayload foreign =>
            $"written by serializer {foreign.SerializerId} (manifest '{foreign.Manifest}'), not by the daemon's record serializer ({PersistedJsonSerializer.SerializerId})",
        null => "it has no payload",
        _ => $"its payload is a {payload.GetType()}, not a record of this daemon (IPersistedEvent)",
    };
}
