using System.Net;
using DPlaneOS.TestSupport;

namespace DPlaneOS.Integration.Tests.Crash;

/// <summary>The process harness itself: a real dplaned that starts, crashes under SIGKILL, starts again on its data dir and stops on SIGTERM.</summary>
public sealed class DaemonProcessTests
{
    [Fact]
    public async Task A_killed_daemon_starts_again_on_its_data_dir_with_the_same_token_and_stops_on_sigterm()
    {
        await using var first = await DaemonProcess.StartAsync();
        using (var client = first.Client())
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/openapi/v1.json")).StatusCode);
        using (var anonymous = first.Client(authenticated: false))
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/openapi/v1.json")).StatusCode);
        await first.WaitForOutputAsync(l => l.Contains("dplaned starting", StringComparison.Ordinal), TimeSpan.FromSeconds(10), "its start line");

        await first.KillAsync();
        Assert.Equal(137, first.ExitCode); // 128 + SIGKILL: no handler ran

        await using var second = await first.StartAgainAsync();
        Assert.NotEqual(first.Pid, second.Pid);
        Assert.Equal(first.Token, second.Token);
        using (var client = second.Client())
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/openapi/v1.json")).StatusCode);
        Assert.DoesNotContain(second.Output, l => l.Contains("Created the admin API token", StringComparison.Ordinal));

        Assert.Equal(0, await second.StopAsync());
    }
}
