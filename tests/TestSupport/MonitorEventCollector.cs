using System.Threading.Channels;
using Akka.Actor;
using DPlaneOS.Actors.Events;
using static DPlaneOS.Actors.Events.TopicMediator.Protocol;

namespace DPlaneOS.TestSupport;

/// <summary>
/// Subscribes an actor to the <see cref="MonitorBus"/> of a running daemon's ActorSystem and lets a
/// test wait for the events it publishes.
/// </summary>
public sealed class MonitorEventCollector : IAsyncDisposable
{
    private readonly ActorSystem _system;
    private readonly IActorRef _actor;
    private readonly Channel<MonitorEvent> _events = Channel.CreateUnbounded<MonitorEvent>();
    private readonly List<MonitorEvent> _seen = [];

    private MonitorEventCollector(ActorSystem system, TaskCompletionSource subscribed)
    {
        _system = system;
        _actor = system.ActorOf(Props.Create(() => new Collector(_events.Writer, subscribed)));
    }

    /// <summary>Every event read so far by <see cref="WaitForAsync"/>, in order.</summary>
    public IReadOnlyList<MonitorEvent> Seen => _seen;

    public static async Task<MonitorEventCollector> StartAsync(ActorSystem system)
    {
        var subscribed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var collector = new MonitorEventCollector(system, subscribed);
        MonitorBus.Subscribe(system, collector._actor);
        await subscribed.Task.WaitAsync(TimeSpan.FromSeconds(15));
        return collector;
    }

    /// <summary>The first event (from now on, skipping others) that matches, or a failure that lists what came.</summary>
    public async Task<MonitorEvent> WaitForAsync(Func<MonitorEvent, bool> match, TimeSpan within, string what)
    {
        using var timeout = new CancellationTokenSource(within);
        try
        {
            while (true)
            {
                var next = await _events.Reader.ReadAsync(timeout.Token);
                _seen.Add(next);
                if (match(next)) return next;
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no {what} within {within}; seen: {string.Join("; ", _seen.Select(e => $"{e.Type} {e.Subject} {string.Join(',', e.Data.Select(d => $"{d.Key}={d.Value}"))}"))}");
        }
    }

    /// <summary>Everything published during <paramref name="duration"/> from now on.</summary>
    public async Task<IReadOnlyList<MonitorEvent>> CollectAsync(TimeSpan duration)
    {
        var collected = new List<MonitorEvent>();
        using var timeout = new CancellationTokenSource(duration);
        try
        {
            while (true) collected.Add(await _events.Reader.ReadAsync(timeout.Token));
        }
        catch (OperationCanceledException)
        {
            _seen.AddRange(collected);
            return collected;
        }
    }

    public ValueTask DisposeAsync()
    {
        MonitorBus.Unsubscribe(_system, _actor);
        _system.Stop(_actor);
        return ValueTask.CompletedTask;
    }

    private sealed class Collector : ReceiveActor
    {
        public Collector(ChannelWriter<MonitorEvent> events, TaskCompletionSource subscribed)
        {
            Receive<SubscribeAck>(_ => subscribed.TrySetResult());
            Receive<MonitorEvent>(e => events.TryWrite(e));
        }
    }
}
