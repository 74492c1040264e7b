using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace DPlaneOS.Integration.Tests.GitOps;

/// <summary>The /api/gitops routes as a test uses them, with the daemon's JSON read as plain JsonElements.</summary>
internal sealed class GitOpsApi(HttpClient client)
{
    public HttpClient Client => client;

    public async Task<JsonElement> PutStateAsync(string yaml)
    {
        var response = await client.PutAsync("/api/gitops/state", new StringContent(yaml, Encoding.UTF8, "text/yaml"));
        return await ExpectAsync(response, HttpStatusCode.OK);
    }

    public async Task<JsonElement> PlanAsync() => await ExpectAsync(await client.GetAsync("/api/gitops/plan"), HttpStatusCode.OK);

    /// <summary>Plans until two plans in a row have the same id: zfs-fuse settles used bytes a few seconds after a write.</summary>
    public async Task<JsonElement> SettledPlanAsync()
    {
        var previous = await PlanAsync();
        for (var i = 0; i < 20; i++)
        {
            await Task.Delay(500);
            var next = await PlanAsync();
            if (next.GetProperty("planId").GetString() == previous.GetProperty("planId").GetString()) return next;
            previous = next;
        }

        throw new InvalidOperationException("the plan id did not settle within 10 s");
    }

    public Task<HttpResponseMessage> ApplyRawAsync(string planId) => client.PostAsJsonAsync("/api/gitops/apply", new { planId });

    public Task<HttpResponseMessage> ApproveRawAsync(string planId, params string[] itemIds) =>
        client.PostAsJsonAsync("/api/gitops/approve", new { planId, itemIds });

    public async Task<JsonElement> StatusAsync() => await ExpectAsync(await client.GetAsync("/api/gitops/status"), HttpStatusCode.OK);

    /// <summary>Applies the plan and waits until that apply has ended; returns the apply record from the status.</summary>
    public async Task<JsonElement> ApplyAndWaitAsync(JsonElement plan, TimeSpan? within = null)
    {
        var accepted = await ExpectAsync(await ApplyRawAsync(plan.GetProperty("planId").GetString()!), HttpStatusCode.Accepted);
        return await WaitForApplyAsync(accepted.GetProperty("applyId").GetString()!, within ?? TimeSpan.FromMinutes(3));
    }

    public async Task<JsonElement> WaitForApplyAsync(string applyId, TimeSpan within)
    {
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            var apply = (await StatusAsync()).GetProperty("apply");
            if (apply.ValueKind == JsonValueKind.Object && apply.GetProperty("applyId").GetString() == applyId
                && apply.GetProperty("status").GetString() != "running") return apply;
            if (stopwatch.Elapsed > within) Assert.Fail($"apply {applyId} did not end within {within}: {apply}");
            await Task.Delay(200);
        }
    }

    public static async Task<JsonElement> ExpectAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {(int)expected} {expected}, got {(int)response.StatusCode}: {body}");
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }

    public static IEnumerable<JsonElement> Items(JsonElement plan) => plan.GetProperty("items").EnumerateArray();

    /// <summary>"create dataset:tank/a" for each non-NOP item, in plan order.</summary>
    public static List<string> Work(JsonElement plan) =>
        Items(plan).Where(i => i.GetProperty("action").GetString() != "nop")
            .Select(i => $"{i.GetProperty("action").GetString()} {i.GetProperty("id").GetString()}").ToList();
}
