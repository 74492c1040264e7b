using System.Net;
using System.Text;
using System.Text.Json;
using DPlaneOS.TestSupport;

namespace DPlaneOS.Integration.Tests.Audit;

/// <summary>
/// Chat webhooks carry their token in the URL path (Slack, Discord, Telegram); the audit chain is
/// forever, so it keeps only the scheme and host of a URL.
/// </summary>
public sealed class AuditUrlTests
{
    private const string Slack = "https://hooks.slack.com/services/T000/B000/XXXXSECRET";
    private const string Telegram = "https://api.telegram.org/bot123:ABC/sendMessage";

    [Fact]
    public async Task Webhook_urls_reach_the_chain_as_scheme_and_host_only_and_their_tokens_no_log_line()
    {
        var original = Console.Out;
        var captured = new StringWriter();
        Console.SetOut(TextWriter.Synchronized(captured));
        string dataDir;
        var responses = new StringBuilder();
        try
        {
            await using var daemon = await AlertDaemon.StartAsync();
            dataDir = daemon.DataDir;
            using var client = daemon.Client(daemon.Token);
            var created = await client.PostAsync("/api/alerts/webhooks", AlertDaemon.Json($$$"""
                {"name":"slack","url":"{{{Slack}}}","headers":{"X-Channel":"storage-alerts-qz"}}
                """));
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetInt32();
            var replaced = await client.PutAsync($"/api/alerts/webhooks/{id}", AlertDaemon.Json($$"""{"name":"telegram","url":"{{Telegram}}"}"""));
            Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
            var refused = await client.PostAsync("/api/alerts/webhooks", AlertDaemon.Json($$"""{"name":"telegram","url":"{{Telegram}}"}"""));
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/alerts/webhooks/{id}")).StatusCode);
            responses.Append(await client.GetStringAsync("/api/system/audit?limit=500"));
        }
        finally
        {
            Console.SetOut(original);
        }

        var rows = await new SqliteAuditJournal(dataDir).RecordsAsync();
        var details = rows.Select(r => JsonDocument.Parse(r.Json).RootElement).ToList();
        Assert.Equal(["POST /api/alerts/webhooks", "PUT /api/alerts/webhooks/{id:int}", "POST /api/alerts/webhooks", "DELETE /api/alerts/webhooks/{id:int}"],
            details.Select(d => d.GetProperty("action").GetString()));
        Assert.Equal("https://hooks.slack.com", details[0].GetProperty("details").GetProperty("body.url").GetString());
        Assert.Equal("***", details[0].GetProperty("details").GetProperty("body.headers.X-Channel").GetString());
        Assert.Equal("https://api.telegram.org", details[1].GetProperty("details").GetProperty("body.url").GetString());
        Assert.Equal("https://api.telegram.org", details[2].GetProperty("details").GetProperty("body.url").GetString());

        // The capture works: the registry logs each change by id and name. Akka's logging is asynchronous,
        // so the line may reach the console after the HTTP reply: wait for it (a bounded wait, not a sleep).
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!captured.ToString().Contains("webhook 1 'slack' created") && DateTime.UtcNow < deadline)
            await Task.Delay(50);
        var logs = captured.ToString();
        Assert.Contains("webhook 1 'slack' created", logs);
        var chain = string.Join('\n', rows.Select(r => r.Json));
        foreach (var token in new[] { "XXXXSECRET", "T000/B000", "/services/", "bot123", "123:ABC", "sendMessage", "storage-alerts-qz" })
        {
            Assert.DoesNotContain(token, chain);
            Assert.DoesNotContain(token, responses.ToString());
            Assert.DoesNotContain(token, logs);
        }
    }
}
