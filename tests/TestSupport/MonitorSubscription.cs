using System.Collections.Concurrent;
using System.Diagnostics;
using Akka.Actor;
using DPlaneOS.Actors.Events;
using static DPlaneOS.Actors.Events.TopicMediator.Protocol;

namespace DPlaneOS.TestSupport;

/// <summary>
/// Every MonitorEvent published on the bus of an actor system (e.g. the real daemon's, from DI), seen
/// from a subscriber actor inside that system, for tests to wait on.
/// </summary>
public sealed class MonitorSubscription : IAsyncDisposable
{
    private readonly ActorSystem _system;
    private readonly IActorRef _recorder;
    private readonly ConcurrentQueue<MonitorEvent> _seen = new();
    private readonly SemaphoreSlim _arrived = new(0);

    private MonitorSubscription(ActorSystem system, TaskCompletionSource subscribed)
    {
        _system = system;
        _recorder = system.ActorOf(Props.Create(() => new Recorder(this, subscribed)));
    }

    /// <summary>Everything seen so far, in arrival order.</summary>
    public IReadOnlyList<MonitorEvent> Seen => _seen.ToList();

    /// <summary>Subscribes and waits until the subscription is live, so no later event is missed.</summary>
    public static async Task<MonitorSubscription> StartAsync(ActorSystem system)
    {
        var subscribed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var subscription = new MonitorSubscription(system, subscribed);
        await subscribed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        return subscription;
    }

    /// <summary>The first event (seen before or after the call) that matches; fails the test after <paramref name="within"/>.</summary>
    public async Task<MonitorEvent> WaitForAsync(Func<MonitorEvent, bool> match, TimeSpan within, string what)
    {
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            if (_seen.FirstOrDefault(match) is { } found) return found;
            var left = within - stopwatch.Elapsed;
            if (left <= TimeSpan.Zero)
                throw new TimeoutException($"no {what} within {within}; seen: {string.Join(", ", _seen.Select(e => $"{e.Type}({e.Subject})"))}");
            await _arrived.WaitAsync(left < TimeSpan.FromMilliseconds(200) ? left : TimeSpan.FromMilliseconds(200));
        }
    }

    public Task<MonitorEvent> WaitForAsync(string type, string subject, TimeSpan within) =>
        WaitForAsync(e => e.Type == type && e.Subject == subject, within, $"{type} for {subject}");

    public ValueTask DisposeAsync()
    {
        _system.Stop(_recorder);
        return ValueTask.CompletedTask;
    }

    private sealed class Recorder : ReceiveActor
    {
        public Recorder(MonitorSubscription subscription, TaskCompletionSource subscribed)
        {
            Receive<SubscribeAck>(_ => subscribed.TrySetResult());
            Receive<MonitorEvent>(monitorEvent =>
            {
                subscription._seen.Enqueue(monitorEvent);
                subscription._arrived.Release();
            });
        }

        protected override void PreStart() => MonitorBus.Subscribe(Context.System, Self);

        protected override void PostStop() => MonitorBus.Unsubscribe(Context.System, Self);
    }
}
