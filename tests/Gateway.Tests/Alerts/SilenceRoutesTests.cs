using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DPlaneOS.Gateway.Auth;
using DPlaneOS.TestSupport;

namespace DPlaneOS.Gateway.Tests.Alerts;

public sealed class SilenceRoutesTests
{
    [Fact]
    public async Task An_operator_creates_lists_and_expires_a_maintenance_window()
    {
        await using var daemon = await DaemonFixture.StartAsync(new FakeZpool());
        var client = daemon.Client(await daemon.CreateTokenAsync("oncall", TokenRole.Operator));
        var starts = DateTimeOffset.UtcNow.AddHours(1);
        var response = await client.PostAsJsonAsync("/api/alerts/silences", new
        {
            matchers = new { types = new[] { "POOL.*" }, node = "nas1" },
            starts = starts.ToString("O"),
            until = starts.AddHours(2).ToString("O"),
            comment = "firmware update",
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var silence = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("oncall", silence.GetProperty("createdBy").GetString());
        Assert.Equal("pool.*", silence.GetProperty("matchers").GetProperty("types")[0].GetString());
        var id = silence.GetProperty("id").GetString();

        var listed = await client.GetFromJsonAsync<JsonElement>("/api/alerts/silences");
        Assert.Equal(id, Assert.Single(listed.GetProperty("items").EnumerateArray()).GetProperty("id").GetString());

        var ended = await client.DeleteAsync($"/api/alerts/silences/{id}");
        Assert.Equal(HttpStatusCode.OK, ended.StatusCode);
        Assert.Equal(0, (await client.GetFromJsonAsync<JsonElement>("/api/alerts/silences")).GetProperty("items").GetArrayLength());
        Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync($"/api/alerts/silences/{id}")).StatusCode);
    }

    [Fact]
    public async Task A_bad_silence_is_a_problem_by_field_and_a_read_token_may_not_create_one()
    {
        await using var daemon = await DaemonFixture.StartAsync(new FakeZpool());
        var admin = daemon.Client(daemon.Token);
        var bad = await admin.PostAsJsonAsync("/api/alerts/silences", new
        {
            matchers = new { types = new[] { "pool..x" }, subject = "", extra = 1 },
            until = DateTimeOffset.UtcNow.AddDays(60).ToString("O"),
            comment = "",
        });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        foreach (var field in new[] { "matchers.types", "matchers.subject", "matchers.extra", "until", "comment" })
            Assert.True(errors.TryGetProperty(field, out _), field);

        var past = await admin.PostAsJsonAsync("/api/alerts/silences", new { matchers = new { }, until = "2001-01-01T00:00:00Z", comment = "x" });
        Assert.Contains("not in the future", await past.Content.ReadAsStringAsync());
        Assert.Equal(0, (await admin.GetFromJsonAsync<JsonElement>("/api/alerts/silences")).GetProperty("items").GetArrayLength());

        var read = daemon.Client(await daemon.CreateTokenAsync("grafana", TokenRole.Read));
        var refused = await read.PostAsJsonAsync("/api/alerts/silences", new { matchers = new { }, until = DateTimeOffset.UtcNow.AddHours(1).ToString("O"), comment = "x" });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }
}
