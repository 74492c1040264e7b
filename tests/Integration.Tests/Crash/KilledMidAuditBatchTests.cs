using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DPlaneOS.TestSupport;
using Xunit.Abstractions;

namespace DPlaneOS.Integration.Tests.Crash;

/// <summary>
/// SIGKILL of the real dplaned while many authenticated mutating requests are in flight, so the
/// audit writer is between batches or inside one. Half the workers create webhooks (each also a
/// write to the webhooks journal), half ask for drift checks (answered a whole round at once, so
/// their audit records arrive together and are written as one batch). After the restart the chain
/// verifies, no loss is reported, and every request answered 2xx before the kill has its one record.
/// </summary>
public sealed class KilledMidAuditBatchTests(ITestOutputHelper output)
{
    private const int Workers = 16;
    private const int AnsweredBeforeKill = 150;

    [Fact]
    public async Task A_sigkill_under_concurrent_writes_keeps_a_valid_chain_with_every_acknowledged_record()
    {
        await using var first = await DaemonProcess.StartAsync();
        var acknowledged = new ConcurrentBag<string>();
        var unanswered = 0;
        using var stop = new CancellationTokenSource();
        var enough = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        async Task WorkAsync(int worker)
        {
            using var client = first.Client();
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var name = $"crash-{worker:00}-{n:0000}";
                try
                {
                    // Not the stop token: a request must run until the kill decides its fate.
                    using var response = worker % 2 == 0
                        ? await client.PostAsync("/api/alerts/webhooks", AlertDaemon.Json(
                            $$"""{"name":"{{name}}","url":"http://127.0.0.1:9/{{name}}","events":["pool.*"]}"""))
                        : await client.PostAsync("/api/gitops/check", AlertDaemon.Json($$"""{"marker":"{{name}}"}"""));
                    // 503 + Retry-After: an actor did not answer in time (a loaded machine, a daemon still starting); not acknowledged.
                    if (response.StatusCode == HttpStatusCode.ServiceUnavailable) continue;
                    Assert.True(response.IsSuccessStatusCode, $"{name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                    acknowledged.Add(name);
                    if (acknowledged.Count >= AnsweredBeforeKill) enough.TrySetResult();
                }
                catch (HttpRequestException)
                {
                    // The daemon died with this request in flight: its outcome is unknown, and no 2xx was seen.
                    Interlocked.Increment(ref unanswered);
                    return;
                }
            }
        }

        var workers = Enumerable.Range(0, Workers).Select(w => Task.Run(() => WorkAsync(w))).ToList();
        await enough.Task.WaitAsync(TimeSpan.FromMinutes(2));
        await first.KillAsync();
        stop.Cancel();
        await Task.WhenAll(workers);
        Assert.Equal(137, first.ExitCode);
        var answered = acknowledged.ToHashSet();
        output.WriteLine($"{answered.Count} requests answered 2xx before the kill, {unanswered} cut off by it");
        Assert.True(unanswered > 0, "no request was in flight at the kill");

        await using var second = await first.StartAgainAsync();
        using var client = second.Client();
        var verify = await client.GetFromJsonAsync<JsonElement>("/api/system/audit/verify-chain");
        Assert.True(verify.GetProperty("valid").GetBoolean(), $"the chain does not verify after the kill: {verify}");

        var records = await AllRecordsAsync(client);
        Assert.Equal(verify.GetProperty("records").GetInt64(), records.Count);
        // A kill is not tampering: no truncation or anchor marker, nothing raised.
        Assert.DoesNotContain(records, r => r.GetProperty("action").GetString()!.StartsWith("audit.", StringComparison.Ordinal));
        var recorded = records.Select(Marker).OfType<string>().ToList();
        Assert.Equal(recorded.Distinct().Count(), recorded.Count);
        output.WriteLine($"{recorded.Count} requests in the chain ({recorded.Count - answered.Count} of them persisted but cut off before the answer); {records.Count} records in all");
        var lost = answered.Except(recorded).Order().ToList();
        Assert.True(lost.Count == 0, $"{lost.Count} acknowledged requests have no audit record: {string.Join(", ", lost)}");
        Assert.All(records.Where(r => Marker(r) is { } m && answered.Contains(m)), r => Assert.True(r.GetProperty("success").GetBoolean()));

        // What the requests changed is there too: every acknowledged webhook exists.
        var webhooks = (await client.GetFromJsonAsync<JsonElement>("/api/alerts/webhooks")).GetProperty("webhooks").EnumerateArray()
            .Select(w => w.GetProperty("name").GetString()!).ToHashSet();
        Assert.Empty(answered.Where(a => int.Parse(a.Split('-')[1]) % 2 == 0).Except(webhooks));
    }

    /// <summary>The test's own name in a record of one of its requests, or null.</summary>
    private static string? Marker(JsonElement record)
    {
        var details = record.GetProperty("details");
        return record.GetProperty("action").GetString() switch
        {
            "POST /api/alerts/webhooks" => details.GetProperty("body.name").GetString(),
            "POST /api/gitops/check" => details.GetProperty("body.marker").GetString(),
            _ => null,
        };
    }

    /// <summary>Every audit record, newest first, page by page.</summary>
    private static async Task<List<JsonElement>> AllRecordsAsync(HttpClient client)
    {
        var records = new List<JsonElement>();
        while (true)
        {
            var page = await client.GetFromJsonAsync<JsonElement>($"/api/system/audit?offset={records.Count}&limit=500");
            var batch = page.GetProperty("records").EnumerateArray().ToList();
            if (batch.Count == 0) return records;
            records.AddRange(batch);
        }
    }
}
