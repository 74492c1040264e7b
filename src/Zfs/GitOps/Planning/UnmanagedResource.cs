namespace DPlaneOS.Zfs.GitOps.Planning;

/// <summary>A live object that state.yaml does not own; the plan leaves it alone and says why.</summary>
public sealed record UnmanagedResource(ResourceKind Kind, string Name, string Reason);
