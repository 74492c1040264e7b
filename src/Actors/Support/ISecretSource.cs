namespace DPlaneOS.Actors.Support;

/// <summary>
/// Tells the support bundle which secrets exist, so it can mask them wherever they show up
/// (a log line, an error message, a setting). Every feature that holds a secret registers one:
/// <c>services.AddSingleton&lt;ISecretSource, WebhookSecrets&gt;()</c>. Read at the start of every
/// bundle, so a secret changed a minute ago is masked too. Throwing aborts the bundle: a bundle
/// that cannot know its secrets is not produced.
/// </summary>
public interface ISecretSource
{
    ValueTask<IReadOnlyList<SecretValue>> GetSecretsAsync(CancellationToken cancellationToken);
}
