using System.Text.RegularExpressions;
using DPlaneOS.Actors.Support.Sections;

namespace DPlaneOS.Actors.Support;

/// <summary>
/// Produces support bundles one at a time (a second request while one runs is refused, not
/// queued: each bundle runs many host commands). Reads every <see cref="ISecretSource"/> before
/// the first byte, so a bundle whose secrets cannot be known is never started.
/// </summary>
public sealed partial class SupportBundleService(SupportBundleWriter writer, IEnumerable<ISecretSource> secretSources, TimeProvider time)
{
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);

    /// <summary>False when a bundle is already being written.</summary>
    public bool TryBegin() => _oneAtATime.Wait(0);

    public void End() => _oneAtATime.Release();

    public DateTimeOffset Now() => time.GetUtcNow();

    public async Task<SecretRedactor> RedactorAsync(CancellationToken cancellationToken)
    {
        var secrets = new List<SecretValue>();
        foreach (var source in secretSources)
            secrets.AddRange(await source.GetSecretsAsync(cancellationToken).ConfigureAwait(false));
        return new SecretRedactor(secrets);
    }

    public Task<BundleManifest> WriteAsync(Stream output, BundleContext context, SecretRedactor redactor, CancellationToken cancellationToken) =>
        writer.WriteAsync(output, BaseName(context.Host, context.GeneratedAt), DaemonBundleSection.Version, context, redactor, cancellationToken);

    /// <summary><c>dplaned-support-&lt;host&gt;-&lt;UTC yyyyMMddTHHmmssZ&gt;</c>; the download adds <c>.tar.gz</c>.</summary>
    public static string BaseName(string host, DateTimeOffset at) =>
        $"dplaned-support-{host}-{at.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}";

    /// <summary>The node's name as safe for a file name; <c>unknown</c> when nothing is left of it.</summary>
    public static string HostName(NodeIdentity node)
    {
        var safe = UnsafeHostChars().Replace(node.Name, "-").Trim('-', '.');
        return safe.Length == 0 ? "unknown" : safe;
    }

    [GeneratedRegex("[^A-Za-z0-9.-]")]
    private static partial Regex UnsafeHostChars();
}
