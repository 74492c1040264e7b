using DPlaneOS.Actors.Fleet.Summary;

namespace DPlaneOS.Actors.Fleet.Health;

/// <summary>
/// <c>/user/fleet-health</c> of each fleet incarnation: answers <see cref="FleetHealthRequest"/> from any node with
/// this node's <see cref="FleetHealthResponse"/>, taken outside the actor and piped back. A failed take is logged
/// and not answered (an exception is no fleet message); the asker's timeout names the node.
/// </summary>
public sealed class FleetHealthResponder : ReceiveActor
{
    public const string Name = "fleet-health";

    public FleetHealthResponder(INodeSummarySource source, string? address)
    {
        var log = Context.GetLogger();
        Receive<FleetHealthRequest>(_ =>
        {
            var asker = Sender;
            source.TakeWithHealthAsync(address, CancellationToken.None)
                .PipeTo(Self, success: taken => new Protocol.Taken(asker, new FleetHealthResponse(taken.Summary, taken.Health)),
                    failure: e => new Protocol.Failed(e));
        });
        Receive<Protocol.Taken>(taken => taken.Asker.Tell(taken.Response));
        Receive<Protocol.Failed>(failed => log.Warning(failed.Error, "Fleet: could not take this node's health report"));
    }

    public static Props Props(INodeSummarySource source, string? address) => Akka.Actor.Props.Create(() => new FleetHealthResponder(source, address));

    public static class Protocol
    {
        public sealed record Taken(IActorRef Asker, FleetHealthResponse Response);

        public sealed record Failed(Exception Error);
    }
}
