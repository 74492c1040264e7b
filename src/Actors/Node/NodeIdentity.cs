namespace DPlaneOS.Actors.Node;

/// <summary>
/// Who this appliance is, resolved once at start and injected everywhere: <see cref="Name"/> is what
/// events, audit records and alerts say; <see cref="JournalName"/> is the part of every persistence id,
/// fixed at the first start so renaming the host (or setting <c>DPlaneOS:NodeName</c>) never orphans a journal.
/// </summary>
/// <param name="Name">The node's name as events carry it: <c>DPlaneOS:NodeName</c>, by default the host name.</param>
/// <param name="JournalName">The name the journals were first written under.</param>
public sealed record NodeIdentity(string Name, string JournalName)
{
    /// <summary>A node whose journals carry its name (tests, tools).</summary>
    public static NodeIdentity Named(string name) => new(name, name);

    /// <summary>The persistence id of <paramref name="kind"/> on this node, e.g. <c>docker-guard-nas1</c>.</summary>
    public string PersistenceId(string kind) => $"{kind}-{JournalName}";
}
