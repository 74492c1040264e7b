using System.Text.Json;

namespace DPlaneOS.Actors.Support;

/// <summary>The secrets in the daemon's own settings (<see cref="SecretSettings"/>), e.g. the database password.</summary>
public sealed class OptionsSecretSource(DPlaneOSOptions options) : ISecretSource
{
    public ValueTask<IReadOnlyList<SecretValue>> GetSecretsAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult(SecretSettings.Find(JsonSerializer.SerializeToNode(options)));
}
