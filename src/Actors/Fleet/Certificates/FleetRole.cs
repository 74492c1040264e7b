namespace DPlaneOS.Actors.Fleet.Certificates;

/// <summary>
/// What a fleet certificate lets its holder be. The role is written into the certificate's subject
/// as its organizational unit (<c>OU=node</c> or <c>OU=subscriber</c>) and matches its extended key usage:
/// a node is a TLS server and client (it accepts and opens fleet connections), a subscriber only a client.
/// </summary>
public enum FleetRole
{
    /// <summary>An appliance: a member of the cluster. EKU serverAuth and clientAuth.</summary>
    Node,

    /// <summary>An outside program that only subscribes to events. EKU clientAuth only.</summary>
    Subscriber,
}

public static class FleetRoles
{
    /// <summary>The role's name as the subject's <c>OU</c> and the CLI's <c>--role</c> write it.</summary>
    public static string Name(FleetRole role) => role switch
    {
        FleetRole.Node => "node",
        FleetRole.Subscriber => "subscriber",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "not a fleet role"),
    };

    /// <summary>The role named <paramref name="name"/> (exactly <c>node</c> or <c>subscriber</c>); null for anything else.</summary>
    public static FleetRole? Parse(string? name) => name switch
    {
        "node" => FleetRole.Node,
        "subscriber" => FleetRole.Subscriber,
        _ => null,
    };
}
