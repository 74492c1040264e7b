using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using DPlaneOS.TestSupport;

namespace DPlaneOS.Gateway.Tests;

/// <summary>/api/gitops request handling that needs no ZFS: auth, bodies, and a host without state.yaml.</summary>
public sealed class GitOpsRoutesTests
{
    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {status}, got {response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(body).RootElement;
    }

    [Theory]
    [InlineData("GET", "/api/gitops/plan")]
    [InlineData("GET", "/api/gitops/status")]
    [InlineData("GET", "/api/gitops/state")]
    [InlineData("PUT", "/api/gitops/state")]
    [InlineData("POST", "/api/gitops/apply")]
    [InlineData("POST", "/api/gitops/approve")]
    [InlineData("POST", "/api/gitops/check")]
    public async Task Every_gitops_route_needs_the_token(string method, string path)
    {
        await using var daemon = await DaemonFixture.StartAsync(new FakeZpool());
        var response = await daemon.Client().SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = JsonContent.Create(new { planId = "x" }) });
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Bad_bodies_are_refused_with_a_problem_saying_what_is_wrong()
    {
        await using var daemon = await DaemonFixture.StartAsync(new FakeZpool());
        var client = daemon.Client(daemon.Token);

        var notJson = await ProblemAsync(await client.PostAsync("/api/gitops/apply", new StringContent("{plan", Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest);
        Assert.Contains("not valid JSON", notJson.GetProperty("detail").GetString());
        var noPlan = await ProblemAsync(await client.PostAsJsonAsync("/api/gitops/apply", new { }), HttpStatusCode.BadRequest);
        Assert.Contains("planId", noPlan.GetProperty("detail").GetString());
        await ProblemAsync(await client.PostAsJsonAsync("/api/gitops/approve", new { planId = "p" }), HttpStatusCode.BadRequest);
        await ProblemAsync(await client.PostAsync("/api/gitops/apply", new StringContent("planId=p", Encoding.UTF8, "text/plain")), HttpStatusCode.UnsupportedMediaType);
        await ProblemAsync(await client.PutAsync("/api/gitops/state", new StringContent("version: 1", Encoding.UTF8, "text/plain")), HttpStatusCode.UnsupportedMediaType);
        await ProblemAsync(await client.PutAsJsonAsync("/api/gitops/state", new { content = "version: 1" }), HttpStatusCode.BadRequest);
        var big = "version: 1\n" + new string('#', 1024 * 1024);
        await ProblemAsync(await client.PutAsync("/api/gitops/state", new StringContent(big, Encoding.UTF8, "text/yaml")), HttpStatusCode.RequestEntityTooLarge);
        Assert.False(File.Exists(Path.Combine(daemon.DataDir, "state.yaml")));
    }

    [Fact]
    public async Task Without_state_yaml_nothing_is_managed_plan_is_404_and_state_offers_a_starter()
    {
        await using var daemon = await DaemonFixture.StartAsync(new FakeZpool());
        var client = daemon.Client(daemon.Token);
        var statePath = Path.Combine(daemon.DataDir, "state.yaml");

        var plan = await ProblemAsync(await client.GetAsync("/api/gitops/plan"), HttpStatusCode.NotFound);
        Assert.Equal(statePath, plan.GetProperty("statePath").GetString());
        await ProblemAsync(await client.PostAsJsonAsync("/api/gitops/apply", new { planId = "p" }), HttpStatusCode.NotFound);

        var state = await client.GetFromJsonAsync<JsonElement>("/api/gitops/state");
        Assert.False(state.GetProperty("exists").GetBoolean());
        Assert.Contains("version: 1", state.GetProperty("content").GetString());

        var check = await client.PostAsync("/api/gitops/check", null);
        var result = JsonDocument.Parse(await check.Content.ReadAsStringAsync()).RootElement;
        Assert.False(result.GetProperty("configured").GetBoolean());
        Assert.False(result.GetProperty("drifted").GetBoolean());

        var status = await client.GetFromJsonAsync<JsonElement>("/api/gitops/status");
        Assert.Equal(statePath, status.GetProperty("statePath").GetString());
        Assert.Equal(JsonValueKind.Null, status.GetProperty("apply").ValueKind);
    }
}
