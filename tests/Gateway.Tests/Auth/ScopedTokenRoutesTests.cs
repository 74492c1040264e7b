using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DPlaneOS.Gateway.Auth;
using DPlaneOS.TestSupport;

namespace DPlaneOS.Gateway.Tests.Auth;

/// <summary>Roles over the real daemon's HTTP pipeline: read, operator and admin tokens, the 403 problem, /api/system/tokens.</summary>
public sealed class ScopedTokenRoutesTests
{
    private static async Task AssertForbiddenAsync(HttpResponseMessage response, string needed, string held)
    {
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(403, problem.GetProperty("status").GetInt32());
        Assert.Equal(needed, problem.GetProperty("requiredRole").GetString());
        Assert.Equal(held, problem.GetProperty("tokenRole").GetString());
        Assert.Contains($"'{needed}' role", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_read_token_reads_and_is_refused_every_change_with_the_role_it_needs()
    {
        await using var daemon = await DaemonFixture.StartAsync(new FakeZpool());
        var read = daemon.Client(await daemon.CreateTokenAsync("grafana", TokenRole.Read));

        Assert.Equal(HttpStatusCode.OK, (await read.GetAsync("/api/zfs/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await read.GetAsync("/api/alerts")).StatusCode);
        await AssertForbiddenAsync(await read.PostAsJsonAsync("/api/alerts/webhooks", new { name = "x", url = "http://127.0.0.1:1/" }), "admin", "read");
        await AssertForbiddenAsync(await read.PostAsJsonAsync("/api/alerts/acknowledge", new { key = "pool.degraded|tank" }), "operator", "read");
        await AssertForbiddenAsync(await read.PostAsync("/api/system/support-bundle", null), "operator", "read");
        await AssertForbiddenAsync(await read.GetAsync("/api/system/tokens"), "admin", "read");

        // Nothing was created by the refused request.
        var webhooks = await daemon.Client(daemon.Token).GetFromJsonAsync<JsonElement>("/api/alerts/webhooks");
        Assert.Equal(0, webhooks.GetProperty("webhooks").GetArrayLength());
    }

    [Fact]
    public async Task An_operator_token_acknowledges_and_tests_but_changes_no_settings()
    {
        await using var daemon = await DaemonFixture.StartAsync(new FakeZpool());
        var operatorClient = daemon.Client(await daemon.CreateTokenAsync("oncall", TokenRole.Operator));

        // Past authorization: an unknown key is the route's own 404, not a 403.
        var acknowledge = await operatorClient.PostAsJsonAsync("/api/alerts/acknowledge", new { key = "pool.degraded|tank" });
        Assert.Equal(HttpStatusCode.NotFound, acknowledge.StatusCode);
        var test = await operatorClient.PostAsync("/api/alerts/webhooks/99/test", null);
        Assert.Equal(HttpStatusCode.NotFound, test.StatusCode);

        await AssertForbiddenAsync(await operatorClient.PostAsJsonAsync("/api/alerts/webhooks", new { name = "x", url = "http://127.0.0.1:1/" }), "admin", "operator");
        await AssertForbiddenAsync(await operatorClient.PutAsJsonAsync("/api/gitops/state", new { }), "admin", "operator");
    }

    [Fact]
    public async Task Admins_list_create_and_revoke_tokens_and_a_revoked_token_stops_within_a_second()
    {
        await using var daemon = await DaemonFixture.StartAsync(new FakeZpool());
        var admin = daemon.Client(daemon.Token);
        var token = await daemon.CreateTokenAsync("backup", TokenRole.Read);

        var listed = await admin.GetFromJsonAsync<JsonElement>("/api/system/tokens");
        var text = listed.GetRawText();
        Assert.DoesNotContain(token, text);
        Assert.DoesNotContain("sha256", text, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(["admin", "backup"], listed.GetProperty("tokens").EnumerateArray().Select(t => t.GetProperty("name").GetString()));

        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsJsonAsync("/api/system/tokens", new { name = "backup", role = "read" })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.DeleteAsync("/api/system/tokens/admin")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync("/api/system/tokens/nobody")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync("/api/system/tokens/backup")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await daemon.Client(token).GetAsync("/api/zfs/health")).StatusCode);
    }

    [Fact]
    public async Task A_bad_token_request_is_a_problem_by_field_and_creates_nothing()
    {
        await using var daemon = await DaemonFixture.StartAsync(new FakeZpool());
        var admin = daemon.Client(daemon.Token);
        var response = await admin.PostAsJsonAsync("/api/system/tokens", new { name = "has space", role = "root", expires = "soon", extra = 1 });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        foreach (var field in new[] { "name", "role", "expires", "extra" }) Assert.True(errors.TryGetProperty(field, out _), field);
        var listed = await admin.GetFromJsonAsync<JsonElement>("/api/system/tokens");
        Assert.Equal(1, listed.GetProperty("tokens").GetArrayLength());
    }
}
