namespace DPlaneOS.Actors.Persistence;

/// <summary>
/// What a stored row written by a serializer other than <see cref="PersistedJsonSerializer"/> reads as
/// (see <see cref="RefusingSerializer"/>): its bytes are not looked at and no type it names is resolved
/// or constructed. Recovery refuses it (<see cref="ForeignRowException"/>).
/// </summary>
public sealed record ForeignPayload(int SerializerId, string Manifest);
