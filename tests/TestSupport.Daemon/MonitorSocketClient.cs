using System.Buffers;
using System.Net;
using System.Net.WebSockets;
using System.Text.Json;

namespace DPlaneOS.TestSupport.Daemon;

/// <summary>A real <see cref="ClientWebSocket"/> on the daemon's <c>/api/ws/monitor</c>, reading whole JSON frames.</summary>
public sealed class MonitorSocketClient : IAsyncDisposable
{
    private readonly ArrayBufferWriter<byte> _message = new();

    private MonitorSocketClient(ClientWebSocket socket) => Socket = socket;

    public ClientWebSocket Socket { get; }

    /// <summary>Status and reason of the server's close frame, once it came.</summary>
    public WebSocketCloseStatus? CloseStatus => Socket.CloseStatus;

    public static Uri Address(DaemonFixture daemon, string query = "") =>
        new UriBuilder(daemon.BaseAddress) { Scheme = "ws", Path = "/api/ws/monitor", Query = query }.Uri;

    /// <summary>Connects with the token in the Authorization header (or none) and an optional query.</summary>
    public static async Task<MonitorSocketClient> ConnectAsync(DaemonFixture daemon, string? token, string query = "", string? origin = null)
    {
        var socket = NewSocket(token, origin);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await socket.ConnectAsync(Address(daemon, query), timeout.Token);
        return new MonitorSocketClient(socket);
    }

    /// <summary>The HTTP status of a refused handshake.</summary>
    public static async Task<HttpStatusCode> RefusedStatusAsync(DaemonFixture daemon, string? token, string query = "", string? origin = null)
    {
        using var socket = NewSocket(token, origin);
        try
        {
            await socket.ConnectAsync(Address(daemon, query), CancellationToken.None);
        }
        catch (WebSocketException)
        {
            return socket.HttpStatusCode;
        }
        throw new InvalidOperationException($"The handshake was accepted ({socket.HttpStatusCode}), not refused");
    }

    private static ClientWebSocket NewSocket(string? token, string? origin)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        if (token is not null) socket.Options.SetRequestHeader("Authorization", $"Bearer {token}");
        if (origin is not null) socket.Options.SetRequestHeader("Origin", origin);
        return socket;
    }

    /// <summary>The next text frame as JSON, or null when the server closed the connection.</summary>
    public async Task<JsonElement?> ReceiveAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(20));
        _message.Clear();
        while (true)
        {
            var result = await Socket.ReceiveAsync(_message.GetMemory(16 * 1024), cts.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                // Answer the close as a browser does, which completes the handshake.
                if (Socket.State == WebSocketState.CloseReceived)
                    await Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", cts.Token);
                return null;
            }
            _message.Advance(result.Count);
            if (result.EndOfMessage) return JsonDocument.Parse(_message.WrittenMemory).RootElement.Clone();
        }
    }

    /// <summary>
    /// The next event frame whose id is one of <paramref name="ids"/> (the test's own), skipping what the
    /// daemon's producers publish meanwhile (e.g. their first statements after start); null when closed.
    /// </summary>
    public Task<JsonElement?> ReceiveEventAsync(params string[] ids) => ReceiveEventAsync(ids.ToHashSet());

    public Task<JsonElement?> ReceiveEventAsync(IReadOnlySet<string> ids) =>
        ReceiveUntilAsync(frame => frame.TryGetProperty("id", out var id) && id.GetString() is { } text && ids.Contains(text));

    /// <summary>The next frame <paramref name="wanted"/> accepts, skipping the others; null when the server closed.</summary>
    public async Task<JsonElement?> ReceiveUntilAsync(Func<JsonElement, bool> wanted)
    {
        while (await ReceiveAsync() is { } frame)
        {
            if (wanted(frame)) return frame;
        }
        return null;
    }

    /// <summary>Waits for the <c>ready</c> frame, after which every published event arrives.</summary>
    public async Task<MonitorSocketClient> ReadyAsync()
    {
        var first = await ReceiveAsync() ?? throw new InvalidOperationException("closed before the ready frame");
        if (first.GetProperty("type").GetString() != "ready") throw new InvalidOperationException($"first frame is not ready: {first}");
        return this;
    }

    public async ValueTask DisposeAsync()
    {
        if (Socket.State == WebSocketState.Open)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await Socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "", timeout.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
                // The server went first; nothing left to close.
            }
        }
        Socket.Dispose();
    }
}
