using System.Net.WebSockets;

namespace DPlaneOS.Gateway.WebSockets;

/// <summary>
/// Runs one accepted socket: a send loop that takes frames from the outbox (the only writer to the
/// socket, so no lock is ever held while writing) and a receive loop that answers the client's close
/// and discards anything else. It ends on the client's close, a dead connection, an overflowed outbox
/// (close 1008 policy violation) or the daemon stopping (close 1001); a client that cannot even take
/// the close frame within <see cref="MonitorSocketOptions.CloseTimeout"/> is aborted.
/// </summary>
internal static class MonitorSocketConnection
{
    private const int ReceiveBufferSize = 1024;

    public static async Task RunAsync(WebSocket socket, SocketOutbox outbox, MonitorSocketOptions options, MonitorSocketSessions sessions, CancellationToken stopping)
    {
        var receiving = ReceiveUntilCloseAsync(socket);
        var sending = SendAllAsync(socket, outbox);
        var stopSignal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // Disposed with the connection, so the daemon-wide stopping token does not collect one registration per client ever connected.
        await using var onStop = stopping.Register(() => stopSignal.TrySetResult());
        var stopped = stopSignal.Task;
        var ended = await Task.WhenAny(receiving, sending, outbox.Overflow, stopped);
        try
        {
            if (ended.IsFaulted)
                return; // the connection is gone (reset, keep-alive timeout, send failure): nothing to say goodbye to
            var (status, reason) = outbox.Overflowed ? (WebSocketCloseStatus.PolicyViolation, "send queue full: the client does not keep up")
                : ended == stopped ? (WebSocketCloseStatus.EndpointUnavailable, "the daemon is stopping")
                : (WebSocketCloseStatus.NormalClosure, "");
            outbox.Stop();
            if (outbox.Overflowed) sessions.ClosingSlow();
            if (!await CompletesWithin(sending, options.CloseTimeout)) return;
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var closing = new CancellationTokenSource(options.CloseTimeout);
                await socket.CloseOutputAsync(status, reason, closing.Token);
            }
            await CompletesWithin(receiving, options.CloseTimeout);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
            // The client vanished while closing; it is aborted below.
        }
        finally
        {
            outbox.Stop();
            if (socket.State != WebSocketState.Closed) socket.Abort();
            await Task.WhenAll(Observe(receiving), Observe(sending));
        }
    }

    private static async Task SendAllAsync(WebSocket socket, SocketOutbox outbox)
    {
        var frames = outbox.Reader;
        while (!outbox.Stopped && await frames.WaitToReadAsync())
        {
            while (!outbox.Stopped && frames.TryRead(out var frame))
                await socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        }
    }

    private static async Task ReceiveUntilCloseAsync(WebSocket socket)
    {
        var buffer = new byte[ReceiveBufferSize];
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
            if (result.MessageType == WebSocketMessageType.Close) return;
        }
    }

    private static async Task<bool> CompletesWithin(Task task, TimeSpan timeout)
    {
        await Task.WhenAny(task, Task.Delay(timeout));
        return task.IsCompletedSuccessfully;
    }

    private static async Task Observe(Task task)
    {
        try
        {
            await task;
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            // Expected once the socket is aborted.
        }
    }
}
