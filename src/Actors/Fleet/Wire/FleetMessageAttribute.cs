namespace DPlaneOS.Actors.Fleet.Wire;

/// <summary>
/// The wire name of a fleet message, e.g. <c>fleet.node-summary.v1</c>. Change a message's shape by adding a
/// new name (<c>.v2</c>) and keeping the old type readable for nodes still on the previous release.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class FleetMessageAttribute(string manifest) : Attribute
{
    public string Manifest { get; } = manifest;
}
