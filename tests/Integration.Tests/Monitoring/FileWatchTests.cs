using System.Net;
using System.Text.Json;
using Akka.Actor;
using DPlaneOS.TestSupport;

namespace DPlaneOS.Integration.Tests.Monitoring;

/// <summary>The file watch on real inotify and the inotify usage from the real /proc, through the real daemon.</summary>
public sealed class FileWatchTests : IDisposable
{
    private readonly string _watched = Directory.CreateTempSubdirectory("dplaned-watched-").FullName;

    public void Dispose() => Directory.Delete(_watched, recursive: true);

    private Task<DaemonFixture> StartDaemonAsync() => DaemonFixture.StartAsync(settings: new Dictionary<string, string>
    {
        ["DPlaneOS:Watch:Paths:0"] = _watched,
        ["DPlaneOS:Watch:Coalesce"] = "00:00:00.500",
        ["DPlaneOS:Watch:Inotify:Interval"] = "00:00:01",
    });

    [Fact]
    public async Task A_file_written_under_a_watched_dir_is_published_once_as_file_changed()
    {
        Directory.CreateDirectory(Path.Combine(_watched, "sub"));
        await using var daemon = await StartDaemonAsync();
        await using var events = await MonitorEventCollector.StartAsync(daemon.App.Services.GetRequiredService<ActorSystem>());

        var file = Path.Combine(_watched, "sub", "report.csv");
        await using (var stream = new FileStream(file, FileMode.Create))
        {
            for (var i = 0; i < 10; i++)
            {
                await stream.WriteAsync("a,b,c\n"u8.ToArray());
                await stream.FlushAsync();
            }
        }
        var changed = await events.WaitForAsync(e => e.Type == "file.changed" && e.Subject == file, TimeSpan.FromSeconds(10), $"file.changed for {file}");
        Assert.Equal((_watched, "Info"), (changed.Data["root"], changed.Severity.ToString()));
        Assert.Contains("created", changed.Data["kinds"]);

        await Assert.ThrowsAsync<TimeoutException>(() => events.WaitForAsync(e => e.Type == "file.changed" && e.Subject == file, TimeSpan.FromSeconds(1.5), "a second file.changed"));
    }

    [Fact]
    public async Task Inotify_usage_counts_real_watches_against_the_kernel_limit()
    {
        await using var daemon = await StartDaemonAsync();
        var client = daemon.Client(daemon.Token);
        Assert.Equal(HttpStatusCode.Unauthorized, (await daemon.Client().GetAsync("/api/monitoring/inotify")).StatusCode);

        JsonElement report = default;
        for (var attempt = 0; attempt < 50; attempt++)
        {
            report = JsonDocument.Parse(await client.GetStringAsync("/api/monitoring/inotify")).RootElement;
            if (report.GetProperty("lastRefresh").ValueKind != JsonValueKind.Null) break;
            await Task.Delay(100);
        }
        var limit = long.Parse((await File.ReadAllTextAsync("/proc/sys/fs/inotify/max_user_watches")).Trim());
        Assert.Equal(limit, report.GetProperty("limit").GetInt64());
        // The daemon itself watches _watched (and ASP.NET may watch its content root): at least one watch.
        var used = report.GetProperty("used").GetInt64();
        Assert.InRange(used, 1, limit);
        Assert.Equal(Math.Round(used * 100.0 / limit, 2), report.GetProperty("percent").GetDouble());
        Assert.Equal("ok", report.GetProperty("level").GetString());
        Assert.Equal(long.Parse((await File.ReadAllTextAsync("/proc/sys/fs/inotify/max_user_instances")).Trim()), report.GetProperty("instanceLimit").GetInt64());
        Assert.Contains(report.GetProperty("users").EnumerateArray(), u => u.GetProperty("watches").GetInt64() == used);
        Assert.True(report.GetProperty("error").ValueKind == JsonValueKind.Null, report.ToString());
    }
}
