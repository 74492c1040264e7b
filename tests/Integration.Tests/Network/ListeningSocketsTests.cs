using System.Net;
using System.Text.Json;
using DPlaneOS.TestSupport;

namespace DPlaneOS.Integration.Tests.Network;

/// <summary>
/// The real daemon as a child process opens no socket but its HTTP one: the safety plane's actor
/// system has no remoting, so no local process can send messages to <c>/user/gitops</c> or <c>/user/audit</c>.
/// </summary>
public sealed class ListeningSocketsTests
{
    [Fact]
    public async Task A_default_daemon_listens_on_its_http_address_only()
    {
        await using var daemon = await DaemonProcess.StartAsync();
        await WaitForActorsAsync(daemon);

        Assert.Equal([$"tcp {daemon.BaseAddress.Host}:{daemon.BaseAddress.Port}"], Listening(daemon));
    }

    [Fact]
    public async Task Fleet_settings_of_an_older_version_are_ignored_with_one_warning_and_open_no_port()
    {
        await using var daemon = await DaemonProcess.StartAsync(settings: new Dictionary<string, string?>
        {
            ["DPlaneOS:Cluster:Hostname"] = "127.0.0.1",
            ["DPlaneOS:Cluster:Port"] = "4053",
            ["DPlaneOS:Cluster:SeedNodes:0"] = "akka.tcp://dplaneos@127.0.0.1:4053",
        });
        await WaitForActorsAsync(daemon);

        Assert.Equal([$"tcp {daemon.BaseAddress.Host}:{daemon.BaseAddress.Port}"], Listening(daemon));
        var warning = Assert.Single(daemon.Output, l => l.Contains("DPlaneOS:Cluster", StringComparison.Ordinal));
        Assert.Contains("WRN", warning, StringComparison.Ordinal);
        Assert.Contains("ignored", warning, StringComparison.Ordinal);
    }

    private static List<string> Listening(DaemonProcess daemon) =>
        ListeningSockets.Of(daemon.Pid).Select(s => s.ToString()).Order(StringComparer.Ordinal).ToList();

    /// <summary>The start is journalled once the actor tree is up (the actor system, and anything it binds, started before it).</summary>
    private static async Task WaitForActorsAsync(DaemonProcess daemon)
    {
        using var client = daemon.Client();
        for (var attempt = 0; attempt < 200; attempt++)
        {
            using var response = await client.GetAsync("/api/system/starts");
            if (response.StatusCode == HttpStatusCode.OK
                && JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("items").GetArrayLength() > 0)
                return;
            await Task.Delay(100);
        }
        throw daemon.Failure("the start was not journalled within 20 s");
    }
}
