using Akka.Actor;

namespace DPlaneOS.Gateway.Routes;

/// <summary>How routes ask actors: one timeout, and the read routes' one shape (ask for a view, answer 200 with it).</summary>
internal static class ActorQuery
{
    /// <summary>Long enough for a busy actor, short enough that a restarting one becomes a 503 (see ActorTimeoutProblemHandler).</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public static async Task<IResult> OkAsync<TView>(IActorRef actor, object question, CancellationToken ct) =>
        Results.Ok(await actor.Ask<TView>(question, Timeout, ct));
}
