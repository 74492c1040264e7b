using DPlaneOS.Actors.Hosting;
using DPlaneOS.Actors.Storage.Health;
using DPlaneOS.Zfs.Health;
using DPlaneOS.Zfs.Host;
using Microsoft.Extensions.DependencyInjection;

namespace DPlaneOS.Actors.Support.Sections;

/// <summary>
/// <c>smart/</c>: what smartctl can see (<c>--scan</c>) and the raw <c>smartctl --json -a</c> of
/// every disk the ZFS read model knows, read in parallel up to the bundle's look-ahead.
/// </summary>
public sealed class SmartBundleSection(
    IRequiredActor<ZfsHealthActor> health, [FromKeyedServices(SupportBundleServices.RunnerKey)] ICommandRunner runner, HostTools tools, DPlaneOSOptions options) : IBundleSection
{
    public string Name => "smart";

    public async IAsyncEnumerable<BundleEntry> EntriesAsync(
        BundleContext context, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        yield return BundleEntries.Command(runner, "smart/scan.json", [tools.Smartctl, "--json", "--scan"], options.SupportBundle.CommandTimeout);
        var view = await health.AskAsync<ZfsHealthActor, ZfsHealthView>(ZfsHealthActor.Protocol.GetView.Instance, cancellationToken).ConfigureAwait(false);
        foreach (var device in view.DevicePaths.Order(StringComparer.Ordinal))
        {
            // Only block devices under /dev reach smartctl (the read model resolved them so).
            if (DPlaneOS.Zfs.NameRules.DevicePathError(device) is not null) continue;
            var name = device["/dev/".Length..].Replace('/', '_');
            yield return BundleEntries.Command(runner, $"smart/{name}.json", [tools.Smartctl, "--json", "-a", "--", device], options.Smart.PerDiskTimeout);
        }
    }
}
