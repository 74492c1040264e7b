using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DPlaneOS.Actors.Events;
using DPlaneOS.TestSupport.Alerts;

namespace DPlaneOS.Integration.Tests;

/// <summary>The real daemon delivering to real HTTP receivers (Kestrel) on 127.0.0.1.</summary>
public sealed class WebhookDeliveryTests
{
    private const string Secret = "integration-secret-0123456789";
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(20);

    /// <summary>The receiver's check, written here from the documented rule, not with the daemon's code.</summary>
    private static string ExpectedSignature(string secret, string timestamp, byte[] body)
    {
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(secret));
        return "sha256=" + Convert.ToHexStringLower(hmac.ComputeHash([.. Encoding.ASCII.GetBytes(timestamp + "."), .. body]));
    }

    private static void AssertSigned(ReceivedRequest request, string secret)
    {
        var timestamp = request.Header("X-DPlaneOS-Timestamp");
        Assert.NotNull(timestamp);
        Assert.InRange(long.Parse(timestamp), DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        Assert.Equal(ExpectedSignature(secret, timestamp, request.Body), request.Header("X-DPlaneOS-Signature"));
    }

    private static string DeliveryId(ReceivedRequest request) => request.Header("X-DPlaneOS-Delivery") ?? throw new InvalidOperationException("no delivery id");

    [Fact]
    public async Task A_delivery_carries_the_notification_as_json_signed_over_timestamp_and_body()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var daemon = await AlertDaemon.StartAsync();
        var id = await daemon.CreateWebhookAsync($$$"""
            {"name":"signed","url":"{{{receiver.Url}}}?team=storage","secret":"{{{Secret}}}","headers":{"X-Team":"storage"}}
            """);
        await daemon.WaitForAlertSinksAsync();

        var notification = AlertTesting.Notification("pool.failed", Severity.Critical, "tank",
            data: new Dictionary<string, string> { ["state"] = "FAULTED", ["error"] = "pool is SUSPENDED" });
        daemon.PublishAlert(notification);
        var request = (await receiver.WaitForAsync(r => r.Count == 1, Within, "one delivery")).Single();

        Assert.Equal("POST", request.Method);
        Assert.Equal("/hook?team=storage", request.Path);
        Assert.StartsWith("application/json", request.Header("Content-Type"));
        Assert.Equal("storage", request.Header("X-Team"));
        Assert.Equal(notification.Id, request.Header("X-DPlaneOS-Delivery"));
        Assert.Equal("pool.failed", request.Header("X-DPlaneOS-Event"));
        Assert.StartsWith("dplaned/", request.Header("User-Agent"));
        AssertSigned(request, Secret);
        Assert.NotEqual(ExpectedSignature("another-secret-xyz-123", request.Header("X-DPlaneOS-Timestamp")!, request.Body), request.Header("X-DPlaneOS-Signature"));

        var json = request.Json;
        Assert.Equal(notification.Id, json.GetProperty("id").GetString());
        Assert.Equal("raised", json.GetProperty("kind").GetString());
        Assert.Equal("critical", json.GetProperty("severity").GetString());
        Assert.Equal("pool.failed", json.GetProperty("type").GetString());
        Assert.Equal("tank", json.GetProperty("subject").GetString());
        Assert.Equal(notification.Event.Node, json.GetProperty("node").GetString());
        Assert.Equal(notification.Event.Time, json.GetProperty("time").GetDateTimeOffset());
        Assert.Equal("pool.failed|tank", json.GetProperty("key").GetString());
        Assert.Equal("FAULTED", json.GetProperty("data").GetProperty("state").GetString());
        Assert.Equal("pool is SUSPENDED", json.GetProperty("data").GetProperty("error").GetString());

        var delivery = (await AlertDaemon.EventuallyAsync(() => daemon.WebhookAsync(id),
            w => w.GetProperty("delivery").GetProperty("lastSuccess").ValueKind == JsonValueKind.Object, Within, "lastSuccess")).GetProperty("delivery");
        Assert.Equal(200, delivery.GetProperty("lastSuccess").GetProperty("statusCode").GetInt32());
        Assert.Equal(notification.Id, delivery.GetProperty("lastSuccess").GetProperty("notificationId").GetString());
        Assert.Equal(0, delivery.GetProperty("pending").GetInt32());
    }

    [Fact]
    public async Task A_receiver_that_refuses_connections_then_answers_503_then_recovers_gets_every_event_exactly_once_in_order()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await receiver.DownAsync();
        await using var daemon = await AlertDaemon.StartAsync();
        var id = await daemon.CreateWebhookAsync($$"""{"name":"flaky","url":"{{receiver.Url}}","secret":"{{Secret}}"}""");
        await daemon.WaitForAlertSinksAsync();

        var notifications = Enumerable.Range(0, 5).Select(i => AlertTesting.Notification("pool.degraded", Severity.Warning, $"pool{i}")).ToList();
        foreach (var notification in notifications) daemon.PublishAlert(notification);

        var waiting = await AlertDaemon.EventuallyAsync(() => daemon.WebhookAsync(id),
            w => w.GetProperty("delivery").GetProperty("lastFailure").ValueKind == JsonValueKind.Object, Within, "a failed attempt");
        Assert.Equal(5, waiting.GetProperty("delivery").GetProperty("pending").GetInt32());
        Assert.Contains("refused", waiting.GetProperty("delivery").GetProperty("lastFailure").GetProperty("error").GetString(), StringComparison.OrdinalIgnoreCase);

        receiver.Status = 503;
        await receiver.UpAsync();
        await receiver.WaitForAsync(r => r.Count(x => x.AnsweredStatus == 503) >= 2, Within, "two 503 answers");
        receiver.Status = 200;
        await receiver.WaitForAsync(r => r.Count(x => x.AnsweredStatus == 200) >= 5, Within, "five accepted deliveries");
        await Task.Delay(TimeSpan.FromSeconds(2));

        var accepted = receiver.Accepted;
        Assert.Equal(notifications.Select(n => n.Id), accepted.Select(DeliveryId));
        Assert.All(accepted, r => AssertSigned(r, Secret));
        Assert.Equal(0, (await daemon.WebhookAsync(id)).GetProperty("delivery").GetProperty("pending").GetInt32());
    }

    [Fact]
    public async Task Pending_deliveries_survive_a_daemon_restart_are_delivered_once_and_never_again_after_another_restart()
    {
        var dataDir = Directory.CreateTempSubdirectory("dplaned-outbox-").FullName;
        await using var receiver = await WebhookReceiver.StartAsync();
        await receiver.DownAsync();
        var notifications = Enumerable.Range(0, 3).Select(i => AlertTesting.Notification("capacity.critical", Severity.Critical, $"tank{i}")).ToList();

        int id;
        await using (var first = await AlertDaemon.StartAsync(dataDir))
        {
            id = await first.CreateWebhookAsync($$"""{"name":"outbox","url":"{{receiver.Url}}"}""");
            await first.WaitForAlertSinksAsync();
            foreach (var notification in notifications) first.PublishAlert(notification);
            await AlertDaemon.EventuallyAsync(() => first.WebhookAsync(id),
                w => w.GetProperty("delivery").GetProperty("pending").GetInt32() == 3
                     && w.GetProperty("delivery").GetProperty("lastFailure").ValueKind == JsonValueKind.Object,
                Within, "three deliveries waiting after a failure");
        }

        await receiver.UpAsync();
        await using (var second = await AlertDaemon.StartAsync(dataDir))
        {
            await receiver.WaitForAsync(r => r.Count >= 3, Within, "three deliveries after the restart");
            await AlertDaemon.EventuallyAsync(() => second.WebhookAsync(id),
                w => w.GetProperty("delivery").GetProperty("pending").GetInt32() == 0, Within, "an empty outbox");
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
        Assert.Equal(notifications.Select(n => n.Id), receiver.Accepted.Select(DeliveryId));

        await using (var third = await AlertDaemon.StartAsync(dataDir))
        {
            var webhook = await third.WebhookAsync(id);
            Assert.Equal(0, webhook.GetProperty("delivery").GetProperty("pending").GetInt32());
            Assert.Equal(notifications[^1].Id, webhook.GetProperty("delivery").GetProperty("lastSuccess").GetProperty("notificationId").GetString());
            await Task.Delay(TimeSpan.FromSeconds(2));
        }
        Assert.Equal(3, receiver.Requests.Count);
    }

    [Fact]
    public async Task Each_webhook_gets_what_its_filter_and_minimum_severity_ask_for_and_the_resolutions_of_those()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var daemon = await AlertDaemon.StartAsync();
        await daemon.CreateWebhookAsync($$"""{"name":"pools","url":"{{receiver.Url}}/pools","events":["pool.*"],"minimumSeverity":"warning"}""");
        await daemon.CreateWebhookAsync($$"""{"name":"critical","url":"{{receiver.Url}}/critical","events":["*"],"minimumSeverity":"critical"}""");
        await daemon.CreateWebhookAsync($$"""{"name":"disabled","url":"{{receiver.Url}}/disabled","enabled":false}""");
        await daemon.WaitForAlertSinksAsync();

        var degraded = AlertTesting.Notification("pool.degraded", Severity.Warning, "tank");
        var capacityWarning = AlertTesting.Notification("capacity.warning", Severity.Warning, "tank");
        var emergency = AlertTesting.Notification("capacity.emergency", Severity.Critical, "tank");
        var scrubInfo = AlertTesting.Notification("pool.scrub_finished", Severity.Info, "tank");
        var degradedResolved = AlertTesting.Resolution(degraded);
        foreach (var notification in new[] { degraded, capacityWarning, emergency, scrubInfo, degradedResolved }) daemon.PublishAlert(notification);

        await receiver.WaitForAsync(r => r.Count >= 3, Within, "three deliveries");
        await Task.Delay(TimeSpan.FromSeconds(2));
        var byPath = receiver.Requests.GroupBy(r => r.Path).ToDictionary(g => g.Key, g => g.Select(DeliveryId).ToList());
        Assert.Equal(["/hook/critical", "/hook/pools"], byPath.Keys.Order());
        Assert.Equal([degraded.Id, degradedResolved.Id], byPath["/hook/pools"]);
        Assert.Equal([emergency.Id], byPath["/hook/critical"]);
    }

    [Fact]
    public async Task The_test_route_delivers_at_once_and_reports_status_latency_and_error()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var daemon = await AlertDaemon.StartAsync();
        var id = await daemon.CreateWebhookAsync($$"""{"name":"tested","url":"{{receiver.Url}}","events":["pool.*"],"secret":"{{Secret}}"}""");

        var ok = await daemon.PostForJsonAsync($"/api/alerts/webhooks/{id}/test");
        Assert.True(ok.GetProperty("delivered").GetBoolean());
        Assert.Equal(200, ok.GetProperty("status").GetInt32());
        Assert.InRange(ok.GetProperty("latencyMs").GetInt64(), 0, 10_000);
        Assert.Equal(JsonValueKind.Null, ok.GetProperty("error").ValueKind);
        var test = receiver.Requests.Single();
        AssertSigned(test, Secret);
        Assert.Equal("webhook.test", test.Json.GetProperty("type").GetString());
        Assert.Equal("test", test.Json.GetProperty("kind").GetString());
        Assert.Equal("tested", test.Json.GetProperty("subject").GetString());

        receiver.Status = 500;
        var failed = await daemon.PostForJsonAsync($"/api/alerts/webhooks/{id}/test");
        Assert.False(failed.GetProperty("delivered").GetBoolean());
        Assert.Equal(500, failed.GetProperty("status").GetInt32());
        Assert.Equal("HTTP 500 Internal Server Error", failed.GetProperty("error").GetString());

        receiver.Status = 302;
        var redirected = await daemon.PostForJsonAsync($"/api/alerts/webhooks/{id}/test");
        Assert.False(redirected.GetProperty("delivered").GetBoolean());
        Assert.Contains("redirects are not followed", redirected.GetProperty("error").GetString());

        await receiver.DownAsync();
        var refused = await daemon.PostForJsonAsync($"/api/alerts/webhooks/{id}/test");
        Assert.False(refused.GetProperty("delivered").GetBoolean());
        Assert.Equal(JsonValueKind.Null, refused.GetProperty("status").ValueKind);
        Assert.Contains("refused", refused.GetProperty("error").GetString(), StringComparison.OrdinalIgnoreCase);

        Assert.Equal(0, (await daemon.WebhookAsync(id)).GetProperty("delivery").GetProperty("pending").GetInt32());
    }

    [Fact]
    public async Task A_webhook_re_pointed_at_another_receiver_sends_it_neither_the_old_secret_nor_the_old_headers()
    {
        const string headerValue = "Bearer header-only-for-receiver-a";
        await using var first = await WebhookReceiver.StartAsync();
        await using var second = await WebhookReceiver.StartAsync();
        await using var daemon = await AlertDaemon.StartAsync();
        var id = await daemon.CreateWebhookAsync($$$"""
            {"name":"moving","url":"{{{first.Url}}}","secret":"{{{Secret}}}","headers":{"Authorization":"{{{headerValue}}}","X-Team":"storage"}}
            """);
        Assert.True((await daemon.PostForJsonAsync($"/api/alerts/webhooks/{id}/test")).GetProperty("delivered").GetBoolean());
        var atFirst = first.Requests.Single();
        AssertSigned(atFirst, Secret);
        Assert.Equal(headerValue, atFirst.Header("Authorization"));

        // A client round-tripping GET: header values come back masked, the secret is absent.
        var edited = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(
            await daemon.Client(daemon.Token).GetStringAsync($"/api/alerts/webhooks/{id}"))!;
        Assert.False(edited.ContainsKey("secret"));
        Assert.Equal("********", edited["headers"].GetProperty("Authorization").GetString());
        edited["url"] = JsonSerializer.SerializeToElement(second.Url);
        var put = await daemon.Client(daemon.Token).PutAsync($"/api/alerts/webhooks/{id}", AlertDaemon.Json(JsonSerializer.Serialize(edited)));
        var saved = JsonDocument.Parse(await put.Content.ReadAsStringAsync()).RootElement;
        Assert.True(put.IsSuccessStatusCode, saved.ToString());
        Assert.False(saved.GetProperty("hasSecret").GetBoolean());

        Assert.True((await daemon.PostForJsonAsync($"/api/alerts/webhooks/{id}/test")).GetProperty("delivered").GetBoolean());
        var atSecond = second.Requests.Single();
        Assert.Null(atSecond.Header("X-DPlaneOS-Signature"));
        Assert.Null(atSecond.Header("Authorization"));
        Assert.Null(atSecond.Header("X-Team"));
        var everything = string.Join('\n', atSecond.Headers.Select(h => $"{h.Key}: {h.Value}")) + atSecond.Text;
        Assert.DoesNotContain("header-only-for-receiver-a", everything);
        Assert.DoesNotContain(Secret, everything);
        Assert.Single(first.Requests);
    }

    [Fact]
    public async Task A_receiver_that_never_answers_is_cut_off_at_the_attempt_timeout()
    {
        using var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start();
        var port = ((System.Net.IPEndPoint)silent.LocalEndpoint).Port;
        await using var daemon = await AlertDaemon.StartAsync(more: new Dictionary<string, string>
        {
            ["DPlaneOS:AlertDelivery:Webhooks:AttemptTimeout"] = "00:00:01",
        });
        var id = await daemon.CreateWebhookAsync($$"""{"name":"silent","url":"http://127.0.0.1:{{port}}/hook"}""");

        var result = await daemon.PostForJsonAsync($"/api/alerts/webhooks/{id}/test");
        Assert.False(result.GetProperty("delivered").GetBoolean());
        Assert.Equal("no response within 1 s", result.GetProperty("error").GetString());
        Assert.InRange(result.GetProperty("latencyMs").GetInt64(), 900, 5000);
    }
}
