using Akka.Actor;
using Akka.Pattern;
using DPlaneOS.Actors.Configuration;
using DPlaneOS.Actors.Events;
using static DPlaneOS.Actors.Events.TopicMediator.Protocol;

namespace DPlaneOS.Actors.Alerts;

/// <summary>
/// <c>/user/alerts</c>: parent of the alerting actors. It is the monitor topic's subscriber and hands
/// each event to the router, so the subscription outlives the router's restarts. The router runs under
/// a backoff supervisor that also restarts it when it stops, which a persistent actor does when its
/// journal fails (1 s doubling to 30 s), so a database outage cannot spin the CPU.
/// </summary>
public sealed class AlertsSupervisor : ReceiveActor
{
    public AlertsSupervisor(AlertOptions timing, TimeProvider time)
    {
        var mediator = LocalBus.Get(Context.System).Mediator;
        var routerProps = AlertRouter.Props($"alert-router-{Environment.MachineName}", mediator, timing, time);
        var router = Context.ActorOf(
            BackoffSupervisor.Props(
                Backoff.OnStop(routerProps, "router", TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), 0.2, maxNrOfRetries: -1)
                    .WithAutoReset(TimeSpan.FromMinutes(1))),
            "router");
        Receive<MonitorEvent>(message => router.Forward(message));
        Receive<SubscribeAck>(_ => { });
        Receive<AlertRouter.Protocol.GetActiveAlerts>(message => router.Forward(message));
        Receive<AlertRouter.Protocol.Acknowledge>(message => router.Forward(message));
    }

    public static Props Props(AlertOptions timing, TimeProvider time) =>
        Akka.Actor.Props.Create(() => new AlertsSupervisor(timing, time));
}
