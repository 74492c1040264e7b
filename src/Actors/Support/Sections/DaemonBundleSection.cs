using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Json;
using DPlaneOS.Actors.Hosting;
using DPlaneOS.Actors.Storage.Capacity;
using DPlaneOS.Actors.Storage.Health;
using DPlaneOS.Zfs.Health;

namespace DPlaneOS.Actors.Support.Sections;

/// <summary>
/// <c>daemon/</c>: version and platform, the effective configuration with secrets masked, the
/// journalled starts, and the ZFS read model as the daemon currently sees it.
/// </summary>
public sealed class DaemonBundleSection(
    DPlaneOSOptions options,
    IRequiredActor<NodeLifecycleActor> lifecycle,
    IRequiredActor<ZfsHealthActor> health,
    IRequiredActor<CapacityGuardian> capacityGuardian) : IBundleSection
{
    public string Name => "daemon";

    public static string Version { get; } =
        typeof(DPlaneOSOptions).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(DPlaneOSOptions).Assembly.GetName().Version?.ToString()
        ?? "unknown";

    public async IAsyncEnumerable<BundleEntry> EntriesAsync(
        BundleContext context, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        yield return BundleEntries.Json("daemon/version.json", context.Json, _ => Task.FromResult<object?>(Describe(context)));
        yield return BundleEntries.Json("daemon/config.json", context.Json, _ =>
            Task.FromResult<object?>(SecretSettings.Masked(JsonSerializer.SerializeToNode(options, context.Json))));
        yield return BundleEntries.Json("daemon/starts.json", context.Json, async ct =>
            await lifecycle.AskAsync<NodeLifecycleActor, NodeLifecycleActor.Protocol.Starts>(NodeLifecycleActor.Protocol.GetStarts.Instance, ct).ConfigureAwait(false));
        yield return BundleEntries.Json("daemon/zfs-view.json", context.Json, async ct =>
        {
            var view = await health.AskAsync<ZfsHealthActor, ZfsHealthView>(ZfsHealthActor.Protocol.GetView.Instance, ct).ConfigureAwait(false);
            var capacity = await capacityGuardian.AskAsync<CapacityGuardian, CapacityReport>(CapacityGuardian.Protocol.GetReport.Instance, ct).ConfigureAwait(false);
            return new { health = view.Health, capacity, iostat = view.Iostat, events = view.Events };
        });
    }

    private object Describe(BundleContext context)
    {
        using var process = Process.GetCurrentProcess();
        return new
        {
            version = Version,
            host = context.Host,
            generatedAt = context.GeneratedAt,
            processStartedAt = new DateTimeOffset(process.StartTime.ToUniversalTime(), TimeSpan.Zero),
            runtime = RuntimeInformation.FrameworkDescription,
            os = RuntimeInformation.OSDescription,
            architecture = RuntimeInformation.OSArchitecture.ToString(),
            dataDir = options.DataDir,
            database = PersistenceSettings.From(options).Description,
        };
    }
}
