using DPlaneOS.Actors.Alerts;
using DPlaneOS.Actors.Alerts.Smtp;
using DPlaneOS.Actors.Alerts.Webhooks;
using DPlaneOS.Actors.Hosting;

namespace DPlaneOS.Actors.Support;

/// <summary>
/// The write-only values the alert sinks store (webhook secrets, header values and token-bearing
/// URLs, the SMTP password), read from the actors at the start of every bundle. An actor that does
/// not answer (restarting under its backoff) fails the bundle: one that cannot know its secrets is not made.
/// </summary>
public sealed class AlertSinkSecretSource(IRequiredActor<WebhooksActor> webhooks, IRequiredActor<SmtpNotifierActor> smtp) : ISecretSource
{
    public async ValueTask<IReadOnlyList<SecretValue>> GetSecretsAsync(CancellationToken cancellationToken)
    {
        var secrets = new List<SecretValue>();
        foreach (var sink in new[] { webhooks.ActorRef, smtp.ActorRef })
        {
            var stored = await sink.Ask<StoredSecrets>(GetStoredSecrets.Instance, ActorQuestions.Timeout, cancellationToken).ConfigureAwait(false);
            secrets.AddRange(stored.Secrets.Select(s => SecretValue.FromText(s.Label, s.Value)));
        }
        return secrets;
    }
}
