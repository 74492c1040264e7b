namespace DPlaneOS.Actors.Node;

/// <summary>
/// <c>DPlaneOS:DataDir</c>, the node's state directory (database, keys, identity, state.yaml), as the
/// one setting setups and sections need from the root options instead of the whole <c>DPlaneOSOptions</c>.
/// </summary>
public sealed record DataDirectory(string Path)
{
    /// <summary>A file in the directory.</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);
}
