namespace DPlaneOS.Actors.Audit;

/// <summary>Where the tail anchor is kept (<see cref="AuditAnchorFile"/>); blocking, called off the actor thread.</summary>
public interface IAuditAnchorStore
{
    /// <summary>Where it is, for log lines.</summary>
    string Path { get; }

    AuditAnchorReading Read();

    /// <summary>Replaces the anchor with <paramref name="head"/> all at once; throws when it cannot.</summary>
    void Write(AuditHead head);
}
