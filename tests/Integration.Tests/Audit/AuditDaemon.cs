using System.Net.Http.Json;
using System.Text.Json;
using Akka.Actor;
using Akka.Hosting;
using DPlaneOS.Actors.Audit;
using DPlaneOS.Actors.Node;
using DPlaneOS.TestSupport;
using Microsoft.AspNetCore.Http;

namespace DPlaneOS.Integration.Tests.Audit;

/// <summary>
/// The real daemon on SQLite with a few test-only mutating endpoints (no real POST route exists
/// yet), so the audit middleware is exercised the way every future route will be.
/// </summary>
internal static class AuditDaemon
{
    public static Task<DaemonFixture> StartAsync(string? dataDir = null, IDictionary<string, string>? settings = null) =>
        DaemonFixture.StartAsync(new FakeZpool(), dataDir, settings, MapTestRoutes);

    private static void MapTestRoutes(WebApplication app)
    {
        var things = app.MapGroup("/api/test/things");
        things.MapPost("/{name}", (string name) => Results.Ok(new { name, created = true }));
        things.MapPost("/{name}/invalid", (string name) =>
            Results.ValidationProblem(new Dictionary<string, string[]> { ["name"] = [$"'{name}' is not allowed"] }));
        things.MapDelete("/{name}", (string name) => Results.NoContent());
        things.MapPost("/{name}/crash", (string name) => { throw new InvalidOperationException($"crash for {name}"); });
    }

    public static IActorRef Writer(this DaemonFixture daemon) =>
        daemon.App.Services.GetRequiredService<IRequiredActor<AuditLog>>().ActorRef;

    /// <summary>The persistence id of the chain in <paramref name="dataDir"/>: from the node identity its daemon wrote at its first start.</summary>
    public static string PersistenceIdIn(string dataDir) =>
        AuditSetup.PersistenceId(NodeIdentity.Named(NodeIdentityFile.Read(dataDir) ?? throw new InvalidOperationException($"no node identity in {dataDir}")));

    public static NodeIdentity Node(this DaemonFixture daemon) => daemon.App.Services.GetRequiredService<NodeIdentity>();

    public static ActorSystem System(this DaemonFixture daemon) => daemon.App.Services.GetRequiredService<ActorSystem>();

    public static async Task<JsonElement> VerifyAsync(this DaemonFixture daemon)
    {
        var response = await daemon.Client(daemon.Token).GetAsync("/api/system/audit/verify-chain");
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    public static async Task<JsonElement> PageAsync(this DaemonFixture daemon, string query = "")
    {
        var response = await daemon.Client(daemon.Token).GetAsync("/api/system/audit" + query);
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    /// <summary>Records <paramref name="count"/> authenticated mutating requests through HTTP, one after another.</summary>
    public static async Task PostThingsAsync(this DaemonFixture daemon, int count)
    {
        using var client = daemon.Client(daemon.Token);
        for (var i = 1; i <= count; i++)
            (await client.PostAsJsonAsync($"/api/test/things/thing-{i}", new { size = i })).EnsureSuccessStatusCode();
    }

    public static async Task<AuditLog.Protocol.Head> HeadAsync(this DaemonFixture daemon) =>
        await daemon.Writer().Ask<AuditLog.Protocol.Head>(AuditLog.Protocol.GetHead.Instance, TimeSpan.FromSeconds(5));
}
