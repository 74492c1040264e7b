using DPlaneOS.Actors.Storage.Docker;
using DPlaneOS.Actors.Storage.Pools;
using DPlaneOS.TestSupport;
using DPlaneOS.Zfs.Host;

namespace DPlaneOS.Gateway.Tests;

/// <summary>A daemon whose pool heartbeats probe every 200 ms through fake mounts and a fake prober, with a fake Docker engine.</summary>
internal static class HeartbeatDaemon
{
    public static Task<DaemonFixture> StartAsync(FakeMountZfs zfs, FakePoolProber prober, IDictionary<string, string>? settings = null)
    {
        var all = new Dictionary<string, string>
        {
            ["DPlaneOS:Heartbeat:Enabled"] = "true",
            ["DPlaneOS:Heartbeat:Interval"] = "00:00:00.200",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) all[key] = value;
        return DaemonFixture.StartAsync(new FakeZpool(), settings: all, services: services =>
        {
            services.AddSingleton<IZfs>(zfs);
            services.AddSingleton<IPoolProber>(prober);
            services.AddSingleton<IDockerEngine>(new FakeDockerEngine());
        });
    }
}
