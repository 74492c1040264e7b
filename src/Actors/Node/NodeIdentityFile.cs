using System.Text;
using DPlaneOS.Actors.Audit;

namespace DPlaneOS.Actors.Node;

/// <summary>
/// <c>&lt;DataDir&gt;/node-identity</c>: the name this node's journals are written under (the tail of
/// every persistence id), fixed at the first start, so renaming the host or setting <c>DPlaneOS:NodeName</c>
/// later never orphans a journal. What events, audit records and alerts say is <see cref="NodeIdentity.Name"/>:
/// <c>DPlaneOS:NodeName</c>, by default the host name of the moment.
/// </summary>
public static class NodeIdentityFile
{
    public const string FileName = "node-identity";

    /// <summary>
    /// The identity from the file, or, without one, the identity of this first start, written to it:
    /// on an existing install (its SQLite database or audit key present) the host name, which is what
    /// earlier versions put in every persistence id; on a new install the node name.
    /// Called once while the daemon starts, before the actor system.
    /// </summary>
    /// <param name="hostName">The host name now (the daemon passes <see cref="Environment.MachineName"/>).</param>
    public static NodeIdentity Resolve(string dataDir, string? configuredName, string hostName)
    {
        if (configuredName is { Length: > 0 } && NodeNames.Error(configuredName) is { } invalid)
            throw new InvalidOperationException($"DPlaneOS:NodeName '{configuredName}': {invalid}");
        var name = configuredName is { Length: > 0 } configured ? configured : hostName;
        var path = Path.Combine(dataDir, FileName);
        if (Read(dataDir) is { } journalName) return new NodeIdentity(name, journalName);

        var existingInstall = File.Exists(Path.Combine(dataDir, "dplaneos.db")) || File.Exists(Path.Combine(dataDir, AuditKey.FileName));
        var identity = new NodeIdentity(name, existingInstall ? hostName : name);
        Directory.CreateDirectory(dataDir);
        OwnedFile.WriteAtomically(path, Encoding.UTF8.GetBytes(identity.JournalName + "\n"));
        return identity;
    }

    /// <summary>The journal name in <paramref name="dataDir"/>'s identity file; null when there is none.</summary>
    public static string? Read(string dataDir)
    {
        var path = Path.Combine(dataDir, FileName);
        if (!File.Exists(path)) return null;
        var journalName = File.ReadAllText(path).Trim();
        if (journalName.Length == 0 || journalName.Any(char.IsWhiteSpace))
            throw new InvalidDataException($"{path} must hold one name (the node's journal name, written at its first start), not '{journalName}'");
        return journalName;
    }
}
