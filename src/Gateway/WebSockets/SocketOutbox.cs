using System.Threading.Channels;

namespace DPlaneOS.Gateway.WebSockets;

/// <summary>
/// The bounded queue between a client's session actor (the only writer) and its send loop (the only
/// reader). The writer never waits: when the queue is full the client is too slow, the outbox marks
/// itself overflowed and the connection is closed, so one slow client never delays the others.
/// </summary>
public sealed class SocketOutbox
{
    private readonly Channel<ReadOnlyMemory<byte>> _frames;
    private readonly TaskCompletionSource _overflow = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _stopped;

    public SocketOutbox(int capacity)
    {
        _frames = Channel.CreateBounded<ReadOnlyMemory<byte>>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public ChannelReader<ReadOnlyMemory<byte>> Reader => _frames.Reader;

    /// <summary>Completes when the queue overflowed.</summary>
    public Task Overflow => _overflow.Task;

    public bool Overflowed => _overflow.Task.IsCompleted;

    /// <summary>No frame is to be sent any more, not even one already queued.</summary>
    public bool Stopped => _stopped;

    /// <returns>false when the frame does not fit: the outbox is then overflowed and stopped.</returns>
    public bool TryEnqueue(ReadOnlyMemory<byte> frame)
    {
        if (_stopped) return false;
        if (_frames.Writer.TryWrite(frame)) return true;
        _overflow.TrySetResult();
        Stop();
        return false;
    }

    /// <summary>No more frames will come; those queued are still sent.</summary>
    public void Complete() => _frames.Writer.TryComplete();

    /// <summary>Drops what is queued and wakes the send loop.</summary>
    public void Stop()
    {
        _stopped = true;
        _frames.Writer.TryComplete();
    }
}
