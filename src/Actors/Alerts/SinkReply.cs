namespace DPlaneOS.Actors.Alerts;

/// <summary>What an alert sink answers to a command from the gateway; the gateway maps each to HTTP.</summary>
public abstract record SinkReply
{
    private SinkReply()
    {
    }

    /// <summary>Done; <paramref name="View"/> is what a read would now show.</summary>
    public sealed record Ok<T>(T View) : SinkReply;

    public sealed record Deleted : SinkReply
    {
        public static readonly Deleted Instance = new();
    }

    public sealed record NotFound(string Detail) : SinkReply;

    /// <summary>The request clashes with the current state (a duplicate name, nothing configured to test).</summary>
    public sealed record Conflict(string Detail) : SinkReply;

    /// <summary>Bad input by field; nothing was changed.</summary>
    public sealed record Invalid(IDictionary<string, string[]> Errors) : SinkReply;
}
