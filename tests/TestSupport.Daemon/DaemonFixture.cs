using System.Net.Http.Headers;
using DPlaneOS.Gateway;
using DPlaneOS.Zfs.Host;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace DPlaneOS.TestSupport.Daemon;

/// <summary>The real daemon on a loopback port with a temporary data dir; host adapters may be fakes.</summary>
public sealed class DaemonFixture : IAsyncDisposable
{
    private DaemonFixture(WebApplication app, string dataDir, Uri baseAddress)
    {
        App = app;
        DataDir = dataDir;
        BaseAddress = baseAddress;
    }

    public WebApplication App { get; }
    public string DataDir { get; }
    public Uri BaseAddress { get; }

    public string Token => File.ReadAllText(Path.Combine(DataDir, "api-token")).Trim();

    /// <param name="routes">Maps test-only endpoints on the built app before it starts.</param>
    /// <param name="customize">Runs last on the builder: tests register wrappers or fakes (e.g. an <see cref="ICommandRunner"/>).</param>
    /// <param name="services">Registers fakes or decorators; they win over the daemon's own (TryAdd) registrations.</param>
    public static async Task<DaemonFixture> StartAsync(
        IZpool? zpool = null, string? dataDir = null, IDictionary<string, string>? settings = null,
        Action<WebApplication>? routes = null, IZfs? zfs = null, Action<WebApplicationBuilder>? customize = null,
        Action<IServiceCollection>? services = null)
    {
        dataDir ??= Directory.CreateTempSubdirectory("dplaned-test-").FullName;
        var commandLine = new CommandLine("http://127.0.0.1:0", dataDir, null, []);
        var app = Program.Build(commandLine, builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["DPlaneOS:Status:RefreshInterval"] = "00:00:00.200",
                // Test daemons must not write into (or stop containers of) other pools on the machine:
                // tests of the heartbeat turn it on and name their own pool.
                ["DPlaneOS:Heartbeat:Enabled"] = "false",
            });
            if (settings is not null)
                builder.Configuration.AddInMemoryCollection(settings.Select(kv => KeyValuePair.Create(kv.Key, (string?)kv.Value)));
            if (zpool is not null) builder.Services.AddSingleton(zpool);
            if (zfs is not null) builder.Services.AddSingleton(zfs);
            services?.Invoke(builder.Services);
            customize?.Invoke(builder);
        });
        routes?.Invoke(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new DaemonFixture(app, dataDir, new Uri(address));
    }

    public HttpClient Client(string? token = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        if (token is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
