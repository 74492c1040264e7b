using DPlaneOS.Actors.Hosting;

namespace DPlaneOS.Gateway.Routes;

/// <summary>How routes ask actors: one timeout, and the read routes' one shape (ask for a view, answer 200 with it).</summary>
internal static class ActorQuery
{
    /// <summary><see cref="ActorQuestions.Timeout"/>: a restarting actor becomes a 503 (see ActorTimeoutProblemHandler).</summary>
    public static readonly TimeSpan Timeout = ActorQuestions.Timeout;

    /// <summary>
    /// <c>GET pattern</c>: asks <typeparamref name="TActor"/> (waiting for its registration, as storage actors
    /// register from their supervisor) and answers 200 with its <typeparamref name="TView"/>.
    /// </summary>
    public static RouteHandlerBuilder MapActorView<TActor, TView>(this IEndpointRouteBuilder routes, string pattern, object question) =>
        routes.MapGet(pattern, async (IRequiredActor<TActor> actor, CancellationToken ct) =>
                Results.Ok(await AskAsync<TActor, TView>(actor, question, ct)))
            .Produces<TView>();

    /// <summary>As <see cref="MapActorView{TActor,TView}"/>, with the JSON encoded once per view (<see cref="SerializedViews"/>).</summary>
    public static RouteHandlerBuilder MapCachedActorView<TActor, TView>(this IEndpointRouteBuilder routes, string pattern, object question)
        where TView : class =>
        routes.MapGet(pattern, async (IRequiredActor<TActor> actor, SerializedViews cache, CancellationToken ct) =>
                cache.Json(await AskAsync<TActor, TView>(actor, question, ct), view => view))
            .Produces<TView>();

    public static Task<TReply> AskAsync<TActor, TReply>(IRequiredActor<TActor> actor, object question, CancellationToken ct, TimeSpan? timeout = null) =>
        actor.AskAsync<TActor, TReply>(question, ct, timeout);
}
