using DPlaneOS.Actors.Hosting;
using static DPlaneOS.Actors.Events.TopicMediator.Protocol;

namespace DPlaneOS.Actors.Alerts;

/// <summary>
/// <c>/user/alerts</c>: parent of the alerting actors. It is the monitor topic's subscriber and hands
/// each event to the router, so the subscription outlives the router's restarts. The router runs under
/// a backoff supervisor that also restarts it when it stops, which a persistent actor does when its
/// journal fails (<see cref="Supervision"/>), so a database outage cannot spin the CPU.
/// </summary>
public sealed class AlertsSupervisor : ReceiveActor
{
    public AlertsSupervisor(AlertOptions timing, TimeProvider time, NodeIdentity node)
    {
        var mediator = LocalBus.Get(Context.System).Mediator;
        var routerProps = AlertRouter.Props(node.PersistenceId("alert-router"), mediator, timing, time);
        var supervision = Supervision.For(Context.System);
        var router = supervision.RestartOnStop(Context, routerProps, "router");
        Receive<MonitorEvent>(message => router.Forward(message));
        Receive<SubscribeAck>(_ => { });
        Receive<AlertRouter.Protocol.IRequest>(message => router.Forward(message));
        Receive<Terminated>(terminated => supervision.GaveUp(terminated.ActorRef));
    }

    public static Props Props(AlertOptions timing, TimeProvider time, NodeIdentity node) =>
        Akka.Actor.Props.Create(() => new AlertsSupervisor(timing, time, node));
}
