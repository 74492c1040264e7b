using static DPlaneOS.Actors.Events.TopicMediator.Protocol;

namespace DPlaneOS.Gateway.WebSockets;

/// <summary>
/// One per WebSocket client: subscribes to the monitor, fleet (other nodes' events) and alert topics, keeps what the client's
/// filter wants and queues the encoded frames in its <see cref="SocketOutbox"/>. It never touches the
/// socket, so a slow client costs only its own queue. The <c>ready</c> frame goes first, once both
/// subscriptions are acknowledged; anything that arrives before is held until then.
/// </summary>
public sealed class MonitorSocketSession : ReceiveActor, IWithStash
{
    private static readonly string[] Topics = [MonitorBus.Topic, MonitorBus.FleetTopic, AlertBus.Topic];

    private readonly IActorRef _mediator;
    private readonly MonitorSocketFilter _filter;
    private readonly SocketOutbox _outbox;
    private readonly HashSet<string> _acknowledged = [];

    public MonitorSocketSession(IActorRef mediator, MonitorSocketFilter filter, SocketOutbox outbox)
    {
        _mediator = mediator;
        _filter = filter;
        _outbox = outbox;
        Receive<SubscribeAck>(ack =>
        {
            _acknowledged.Add(ack.Subscribe.Topic);
            if (_acknowledged.Count < Topics.Length) return;
            Send(MonitorFrames.Ready);
            Stash.UnstashAll();
            Become(Streaming);
        });
        ReceiveAny(_ => Stash.Stash());
    }

    public IStash Stash { get; set; } = null!;

    public static Props Props(IActorRef mediator, MonitorSocketFilter filter, SocketOutbox outbox) =>
        Akka.Actor.Props.Create(() => new MonitorSocketSession(mediator, filter, outbox));

    protected override void PreStart()
    {
        foreach (var topic in Topics) _mediator.Tell(new Subscribe(topic, Self));
    }

    protected override void PostStop()
    {
        foreach (var topic in Topics) _mediator.Tell(new Unsubscribe(topic, Self));
        _outbox.Complete();
    }

    private void Streaming()
    {
        Receive<MonitorEvent>(monitorEvent =>
        {
            if (_filter.Matches(monitorEvent)) Send(MonitorFrames.For(monitorEvent));
        });
        Receive<AlertNotification>(notification =>
        {
            if (_filter.Matches(notification)) Send(MonitorFrames.For(notification));
        });
        Receive<SubscribeAck>(_ => { });
        Receive<UnsubscribeAck>(_ => { });
    }

    private void Send(ReadOnlyMemory<byte> frame)
    {
        // A full queue means the client stopped reading; the connection closes it as a policy violation.
        if (!_outbox.TryEnqueue(frame)) Context.Stop(Self);
    }
}
