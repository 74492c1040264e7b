using System.Net.Http.Headers;
using DPlaneOS.Gateway;
using DPlaneOS.Zfs.Host;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace DPlaneOS.TestSupport;

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
    public static async Task<DaemonFixture> StartAsync(
        IZpool? zpool = null, string? dataDir = null, IDictionary<string, string>? settings = null,
        Action<WebApplication>? routes = null, IZfs? zfs = null)
    {
        dataDir ??= Directory.CreateTempSubdirectory("dplaned-test-").FullName;
        var commandLine = new CommandLine("http://127.0.0.1:0", dataDir, null, []);
        var app = Program.Build(commandLine, builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["DPlaneOS:Status:RefreshInterval"] = "00:00:00.200",
            });
            if (settings is not null)
                builder.Configuration.AddInMemoryCollection(settings.Select(kv => KeyValuePair.Create(kv.Key, (string?)kv.Value)));
            if (zpool is not null) builder.Services.AddSingleton(zpool);
            if (zfs is not null) builder.Services.AddSingleton(zfs);
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
