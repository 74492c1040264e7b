namespace DPlaneOS.Actors.Audit;

/// <summary>What <c>audit.head</c> said when it was read: nothing, a head whose MAC matches, or something that is not one.</summary>
public abstract record AuditAnchorReading
{
    private AuditAnchorReading()
    {
    }

    /// <summary>No anchor file: a first start, an upgrade from a version without one, or a deleted file.</summary>
    public sealed record Missing : AuditAnchorReading
    {
        public static readonly Missing Instance = new();
    }

    /// <summary>The head the writer last anchored; its MAC matches the audit key.</summary>
    public sealed record Valid(AuditHead Head) : AuditAnchorReading;

    /// <summary>
    /// The file is there but is not an anchor the writer made with this key.
    /// <paramref name="Sequence"/> and <paramref name="Hash"/> are what it claims, when it could be parsed that far.
    /// </summary>
    public sealed record Invalid(string Problem, long? Sequence, string? Hash) : AuditAnchorReading;
}
