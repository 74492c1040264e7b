namespace DPlaneOS.Actors.Hosting;

/// <summary>
/// How code outside the actors (routes, bundle sections, the fleet summary) asks one a question: wait for its
/// registration (storage actors register from their supervisor), then ask with one bounded timeout, so an
/// actor that is restarting under its backoff becomes an error and never a hang. Actors never use this: they
/// tell and PipeTo.
/// </summary>
public static class ActorQuestions
{
    /// <summary>Long enough for a busy actor, short enough that a restarting one fails the caller quickly.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public static async Task<TReply> AskAsync<TActor, TReply>(
        this IRequiredActor<TActor> actor, object question, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        await (await actor.GetAsync(cancellationToken).ConfigureAwait(false))
            .Ask<TReply>(question, timeout ?? Timeout, cancellationToken).ConfigureAwait(false);
}
