using DPlaneOS.Zfs.Host;
using Microsoft.Extensions.DependencyInjection;

namespace DPlaneOS.Actors.Support.Sections;

/// <summary><c>logs/</c>: the daemon's own journal tail, when journalctl is installed (not on every test host).</summary>
public sealed partial class JournalBundleSection([FromKeyedServices(SupportBundleServices.RunnerKey)] ICommandRunner runner, DPlaneOSOptions options) : IBundleSection
{
    public string Name => "logs";

    public async IAsyncEnumerable<BundleEntry> EntriesAsync(
        BundleContext context, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        var bundle = options.SupportBundle;
        if (!UnitName().IsMatch(bundle.JournalUnit))
        {
            yield return BundleEntries.Skip("logs/dplaned-journal.txt", $"DPlaneOS:SupportBundle:JournalUnit '{bundle.JournalUnit}' is not a systemd unit name");
            yield break;
        }
        yield return BundleEntries.Command(runner, "logs/dplaned-journal.txt",
            [bundle.JournalctlPath, "-u", bundle.JournalUnit, "-n", bundle.JournalLines.ToString(System.Globalization.CultureInfo.InvariantCulture), "--no-pager"],
            bundle.CommandTimeout, skipWhenNotInstalled: true);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\A[A-Za-z0-9_.:@\\][A-Za-z0-9_.:@\\-]*\z")]
    private static partial System.Text.RegularExpressions.Regex UnitName();
}
