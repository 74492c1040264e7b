namespace DPlaneOS.Gateway.WebSockets;

/// <summary>What one WebSocket client asked for: <c>?types=</c> patterns and <c>?nodes=</c> names (null: every node).</summary>
public sealed record MonitorSocketFilter(EventTypePattern Types, IReadOnlySet<string>? Nodes)
{
    public const int MaxNodes = 64;

    public static readonly MonitorSocketFilter All = new(EventTypePattern.All, null);

    public bool Matches(MonitorEvent monitorEvent) =>
        Types.Matches(monitorEvent.Type) && (Nodes is null || Nodes.Contains(monitorEvent.Node));

    public bool Matches(AlertNotification notification) => Matches(notification.Event);

    /// <summary>Null when <paramref name="text"/> (comma-separated node names) is valid, else what is wrong with it.</summary>
    public static string? TryParseNodes(string? text, out IReadOnlySet<string>? nodes)
    {
        nodes = null;
        if (string.IsNullOrWhiteSpace(text)) return null;
        var names = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (names.Length > MaxNodes) return $"must list at most {MaxNodes} nodes, got {names.Length}";
        if (names.Select(name => NodeNames.Error(name) is { } error ? $"'{name}': {error}" : null).FirstOrDefault(e => e is not null) is { } invalid)
            return invalid;
        nodes = names.ToHashSet(StringComparer.Ordinal);
        return null;
    }
}
