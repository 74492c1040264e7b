namespace DPlaneOS.Gateway.WebSockets;

/// <summary>The monitor WebSocket, <c>WS /api/ws/monitor</c> (<c>DPlaneOS:WebSocket</c>).</summary>
public sealed class MonitorSocketOptions
{
    /// <summary>Read by the gateway alone, beside the actors' <c>DPlaneOS</c> options.</summary>
    public const string Section = "DPlaneOS:WebSocket";

    /// <summary>Frames queued per client; a client that lets the queue fill is closed, so it never delays the others.</summary>
    public int SendQueueSize { get; set; } = 256;

    /// <summary>How often the server pings each client.</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a ping may go unanswered before the connection is dropped as dead.</summary>
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a closing client gets to take the frame in flight and the close frame before it is aborted.</summary>
    public TimeSpan CloseTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Browser origins (<c>https://nas.example:8443</c>) allowed besides the daemon's own host. A handshake
    /// with any other <c>Origin</c> is refused, so a foreign page cannot ride a user's credentials.
    /// </summary>
    public List<string> AllowedOrigins { get; set; } = [];

    /// <summary>Throws on values the hub cannot work with, naming the setting.</summary>
    public void Validate()
    {
        if (SendQueueSize < 1)
            throw new InvalidOperationException($"DPlaneOS:WebSocket:SendQueueSize must be at least 1 (is {SendQueueSize})");
        if (KeepAliveInterval < TimeSpan.Zero || KeepAliveTimeout < TimeSpan.Zero || CloseTimeout <= TimeSpan.Zero)
            throw new InvalidOperationException("DPlaneOS:WebSocket:KeepAliveInterval and KeepAliveTimeout must not be negative, CloseTimeout must be positive");
    }
}
