namespace DPlaneOS.Actors.Persistence;

/// <summary>
/// The stable journal name of a persisted record, e.g. <c>alerts.condition-notified.v1</c>. Change
/// the shape of a record by adding a new name (<c>.v2</c>) and keeping the old type readable.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class PersistedAsAttribute(string manifest) : Attribute
{
    public string Manifest { get; } = manifest;
}
