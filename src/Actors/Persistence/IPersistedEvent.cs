namespace DPlaneOS.Actors.Persistence;

/// <summary>
/// Marks a record that goes into the journal or a snapshot. Every such type carries a
/// <see cref="PersistedAsAttribute"/>: the journal stores that name, never the CLR type name,
/// so renaming or moving a class cannot break recovery.
/// </summary>
public interface IPersistedEvent;
