using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DPlaneOS.Actors.Events;
using DPlaneOS.Actors.Node;

namespace DPlaneOS.Integration.Tests.Audit;

/// <summary>The audit middleware and the monitor-event subscription on the real daemon with its SQLite journal.</summary>
public sealed class AuditTrailTests
{
    /// <summary>The node of a test daemon without DPlaneOS:NodeName: its host name.</summary>
    private static readonly NodeIdentity DaemonNode = NodeIdentity.Named(Environment.MachineName);

    [Fact]
    public async Task An_authenticated_mutating_call_is_in_the_database_before_its_response_arrives_without_secrets()
    {
        await using var daemon = await AuditDaemon.StartAsync();
        var journal = new SqliteAuditJournal(daemon.DataDir);
        using var client = daemon.Client(daemon.Token);
        for (var i = 1; i <= 20; i++)
        {
            var response = await client.PostAsJsonAsync($"/api/test/things/pool-{i}?dry=false&access_token=qz-query-token", new
            {
                pool = "tank",
                password = "qz-hunter2",
                smtp = new { host = "mail.example", port = 587, secret = "qz-s3cr3t" },
                url = "https://alice:qz-pw123@hooks.example/x",
                tags = new[] { "a", "b" },
            });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            // Read straight after the response: the record must already be committed.
            Assert.Equal(i, await journal.CountAsync());
        }
        var deleted = await client.DeleteAsync("/api/test/things/pool-1");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(21, await journal.CountAsync());

        var records = await journal.RecordsAsync();
        var post = JsonDocument.Parse(records[19].Json).RootElement;
        Assert.Equal(20, post.GetProperty("sequence").GetInt64());
        Assert.Equal("admin", post.GetProperty("actor").GetString());
        Assert.Equal("POST /api/test/things/{name}", post.GetProperty("action").GetString());
        Assert.Equal("/api/test/things/pool-20", post.GetProperty("resource").GetString());
        Assert.Equal("127.0.0.1", post.GetProperty("source").GetString());
        Assert.True(post.GetProperty("success").GetBoolean());
        var details = post.GetProperty("details");
        Assert.Equal("pool-20", details.GetProperty("route.name").GetString());
        Assert.Equal("false", details.GetProperty("query.dry").GetString());
        Assert.Equal("***", details.GetProperty("query.access_token").GetString());
        Assert.Equal("tank", details.GetProperty("body.pool").GetString());
        Assert.Equal("***", details.GetProperty("body.password").GetString());
        Assert.Equal("mail.example", details.GetProperty("body.smtp.host").GetString());
        Assert.Equal("587", details.GetProperty("body.smtp.port").GetString());
        Assert.Equal("***", details.GetProperty("body.smtp.secret").GetString());
        // A URL keeps only its origin: no credentials, no path.
        Assert.Equal("https://hooks.example", details.GetProperty("body.url").GetString());
        Assert.Equal("[2 items]", details.GetProperty("body.tags").GetString());
        Assert.Equal("200", details.GetProperty("status").GetString());

        var delete = JsonDocument.Parse(records[20].Json).RootElement;
        Assert.Equal("DELETE /api/test/things/{name}", delete.GetProperty("action").GetString());
        Assert.Equal("204", delete.GetProperty("details").GetProperty("status").GetString());
        Assert.Equal(post.GetProperty("hash").GetString(), delete.GetProperty("previousHash").GetString());

        var everything = string.Join("\n", records.Select(r => r.Json));
        foreach (var secret in new[] { "qz-query-token", "qz-hunter2", "qz-s3cr3t", "qz-pw123", daemon.Token })
            Assert.DoesNotContain(secret, everything);
        Assert.True((await daemon.VerifyAsync()).GetProperty("valid").GetBoolean());
    }

    [Fact]
    public async Task Failures_and_unknown_routes_are_recorded_reads_and_unauthenticated_calls_are_not()
    {
        await using var daemon = await AuditDaemon.StartAsync();
        using var client = daemon.Client(daemon.Token);

        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync("/api/test/things/x/invalid", null)).StatusCode);
        Assert.Equal(HttpStatusCode.InternalServerError, (await client.PostAsync("/api/test/things/y/crash", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync("/api/no-such-route", null)).StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await client.PutAsync("/api/system/starts", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/system/starts")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await daemon.Client().PostAsync("/api/test/things/z", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await daemon.Client(daemon.Token + "x").PostAsync("/api/test/things/z", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync("/not-api/x", null)).StatusCode);

        var page = await daemon.PageAsync();
        Assert.Equal(4, page.GetProperty("total").GetInt64());
        var records = page.GetProperty("records").EnumerateArray().ToList();
        Assert.Equal([4L, 3L, 2L, 1L], records.Select(r => r.GetProperty("sequence").GetInt64()));
        Assert.All(records, r => Assert.False(r.GetProperty("success").GetBoolean()));
        Assert.Equal(
            ["PUT /api/system/starts", "POST /api/no-such-route", "POST /api/test/things/{name}/crash", "POST /api/test/things/{name}/invalid"],
            records.Select(r => r.GetProperty("action").GetString()));
        Assert.Equal(["405", "404", "500", "400"], records.Select(r => r.GetProperty("details").GetProperty("status").GetString()));
    }

    [Fact]
    public async Task Paging_is_newest_first_and_bad_values_are_problems()
    {
        await using var daemon = await AuditDaemon.StartAsync();
        await daemon.PostThingsAsync(12);

        var page = await daemon.PageAsync("?offset=2&limit=5");
        Assert.Equal(12, page.GetProperty("total").GetInt64());
        Assert.Equal([10L, 9L, 8L, 7L, 6L], page.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("sequence").GetInt64()));
        var tail = await daemon.PageAsync("?offset=10&limit=5");
        Assert.Equal([2L, 1L], tail.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("sequence").GetInt64()));
        Assert.Empty((await daemon.PageAsync("?offset=12")).GetProperty("records").EnumerateArray());
        Assert.Equal(12, (await daemon.PageAsync()).GetProperty("records").GetArrayLength());

        using var client = daemon.Client(daemon.Token);
        foreach (var (query, field) in new[] { ("?limit=501", "limit"), ("?limit=0", "limit"), ("?limit=ten", "limit"), ("?offset=-1", "offset"), ("?offset=1.5", "offset") })
        {
            var response = await client.GetAsync("/api/system/audit" + query);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.Contains("from", problem.GetProperty("errors").GetProperty(field)[0].GetString());
        }
        // A rejected read changes nothing.
        Assert.Equal(12, (await daemon.PageAsync()).GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task Automatic_actions_on_the_monitor_bus_are_recorded_as_system()
    {
        await using var daemon = await AuditDaemon.StartAsync();
        await WaitForSubscriptionAsync(daemon);
        var now = DateTimeOffset.UtcNow;
        var system = daemon.System();
        MonitorBus.Publish(system, MonitorEvent.Create(DaemonNode, "pool.degraded", Severity.Warning, "tank", now));
        MonitorBus.Publish(system, MonitorEvent.Create(DaemonNode, "docker.stopped", Severity.Critical, "web", now,
            new Dictionary<string, string> { ["reason"] = "pool tank failed", ["registry_token"] = "qz-registry" }));
        MonitorBus.Publish(system, MonitorEvent.Create(DaemonNode, "capacity.reserve-released", Severity.Critical, "tank/dplane-reserved", now));
        MonitorBus.Publish(system, MonitorEvent.Create(DaemonNode, "gitops.apply.failed", Severity.Warning, "plan-7", now));
        MonitorBus.Publish(system, MonitorEvent.Create(DaemonNode, "docker.stopped", Severity.Critical, "db", now) with { Node = "another-appliance" });
        MonitorBus.Publish(system, MonitorEvent.Create(DaemonNode, "docker.restarted", Severity.Info, "web", now));

        var records = await WaitForRecordsAsync(daemon, 4);
        Assert.Equal(["docker.restarted", "gitops.apply.failed", "capacity.reserve-released", "docker.stopped"],
            records.Select(r => r.GetProperty("action").GetString()));
        Assert.All(records, r => Assert.Equal("system", r.GetProperty("actor").GetString()));
        Assert.All(records, r => Assert.Equal(Environment.MachineName, r.GetProperty("source").GetString()));
        Assert.Equal([true, false, true, true], records.Select(r => r.GetProperty("success").GetBoolean()));
        var stopped = records[3];
        Assert.Equal("web", stopped.GetProperty("resource").GetString());
        Assert.Equal("pool tank failed", stopped.GetProperty("details").GetProperty("data.reason").GetString());
        Assert.Equal("***", stopped.GetProperty("details").GetProperty("data.registry_token").GetString());
        Assert.Equal("critical", stopped.GetProperty("details").GetProperty("event.severity").GetString());
        Assert.True((await daemon.VerifyAsync()).GetProperty("valid").GetBoolean());
    }

    [Fact]
    public async Task A_configured_list_of_action_types_replaces_the_defaults()
    {
        await using var daemon = await AuditDaemon.StartAsync(settings: new Dictionary<string, string>
        {
            ["DPlaneOS:Audit:ActionEventTypes:0"] = "pool.*",
        });
        await WaitForSubscriptionAsync(daemon);
        var system = daemon.System();
        MonitorBus.Publish(system, MonitorEvent.Create(DaemonNode, "docker.stopped", Severity.Critical, "web", DateTimeOffset.UtcNow));
        MonitorBus.Publish(system, MonitorEvent.Create(DaemonNode, "pool.degraded", Severity.Warning, "tank", DateTimeOffset.UtcNow));

        var records = await WaitForRecordsAsync(daemon, 1);
        Assert.Equal("pool.degraded", records.Single().GetProperty("action").GetString());
    }

    [Fact]
    public async Task When_the_record_cannot_be_persisted_the_call_fails_instead_of_reporting_success()
    {
        await using var daemon = await AuditDaemon.StartAsync(settings: new Dictionary<string, string>
        {
            ["DPlaneOS:Audit:PersistTimeout"] = "00:00:00.500",
        });
        await daemon.PostThingsAsync(1);
        daemon.System().Stop(daemon.Writer());
        using var client = daemon.Client(daemon.Token);

        // A body written by the handler (OnStarting path) and an empty 204 (end-of-pipeline path).
        var post = await client.PostAsJsonAsync("/api/test/things/late", new { size = 1 });
        var delete = await client.DeleteAsync("/api/test/things/late");
        Assert.Equal(HttpStatusCode.InternalServerError, post.StatusCode);
        Assert.Equal(HttpStatusCode.InternalServerError, delete.StatusCode);
        Assert.DoesNotContain("created", await post.Content.ReadAsStringAsync());
    }

    private static async Task WaitForSubscriptionAsync(DaemonFixture daemon)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!(await daemon.HeadAsync()).Subscribed)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The audit log never confirmed its monitor-topic subscription");
            await Task.Delay(50);
        }
    }

    private static async Task<List<JsonElement>> WaitForRecordsAsync(DaemonFixture daemon, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while ((await daemon.HeadAsync()).Last.Sequence < count)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Fewer than {count} audit records after 10 s");
            await Task.Delay(50);
        }
        // Anything extra (a wrongly recorded event) would show up within this pause.
        await Task.Delay(300);
        return (await daemon.PageAsync()).GetProperty("records").EnumerateArray().ToList();
    }
}
