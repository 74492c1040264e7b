using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using DPlaneOS.TestSupport;

namespace DPlaneOS.Gateway.Tests;

public sealed class AlertSinkRoutesTests
{
    private const string Secret = "correct-horse-battery-staple";

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task<JsonElement> ReadJson(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    private static async Task<JsonElement> Problem(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await ReadJson(response);
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        return problem;
    }

    [Fact]
    public async Task A_webhook_is_created_read_replaced_and_deleted_and_its_secrets_never_come_back()
    {
        await using var daemon = await DaemonFixture.StartAsync(new FakeZpool());
        var client = daemon.Client(daemon.Token);

        var created = await client.PostAsync("/api/alerts/webhooks", Json($$"""
            {"name":"ops","url":"http://127.0.0.1:9/hook","events":["pool.*"],"minimumSeverity":"critical",
             "headers":{"Authorization":"Bearer header-token-value"},"secret":"{{Secret}}"}
            """));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadAsStringAsync();
        var webhook = JsonDocument.Parse(body).RootElement;
        var id = webhook.GetProperty("id").GetInt32();
        Assert.Equal($"/api/alerts/webhooks/{id}", created.Headers.Location?.OriginalString);
        Assert.True(webhook.GetProperty("hasSecret").GetBoolean());
        Assert.True(webhook.GetProperty("enabled").GetBoolean());
        Assert.Equal("critical", webhook.GetProperty("minimumSeverity").GetString());
        Assert.Equal("pool.*", webhook.GetProperty("events")[0].GetString());
        Assert.Equal("********", webhook.GetProperty("headers").GetProperty("Authorization").GetString());
        Assert.Equal(0, webhook.GetProperty("delivery").GetProperty("pending").GetInt32());
        Assert.False(webhook.TryGetProperty("secret", out _));

        var list = await client.GetStringAsync("/api/alerts/webhooks");
        Assert.Equal(id, JsonDocument.Parse(list).RootElement.GetProperty("webhooks").EnumerateArray().Single().GetProperty("id").GetInt32());

        // A UI round trip: what GET returned goes back with one change; the secret and header stay.
        var edited = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(await client.GetStringAsync($"/api/alerts/webhooks/{id}"))!;
        edited["name"] = JsonSerializer.SerializeToElement("ops-renamed");
        var replaced = await client.PutAsync($"/api/alerts/webhooks/{id}", Json(JsonSerializer.Serialize(edited)));
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        var replacedJson = await ReadJson(replaced);
        Assert.Equal("ops-renamed", replacedJson.GetProperty("name").GetString());
        Assert.True(replacedJson.GetProperty("hasSecret").GetBoolean());
        Assert.Equal("********", replacedJson.GetProperty("headers").GetProperty("Authorization").GetString());

        var cleared = await client.PutAsync($"/api/alerts/webhooks/{id}", Json("""{"name":"ops-renamed","url":"http://127.0.0.1:9/hook","secret":null}"""));
        Assert.False((await ReadJson(cleared)).GetProperty("hasSecret").GetBoolean());

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/alerts/webhooks/{id}")).StatusCode);
        await Problem(await client.GetAsync($"/api/alerts/webhooks/{id}"), HttpStatusCode.NotFound);

        foreach (var text in new[] { body, list, JsonSerializer.Serialize(edited), await replaced.Content.ReadAsStringAsync() })
        {
            Assert.DoesNotContain(Secret, text);
            Assert.DoesNotContain("header-token-value", text);
        }
    }

    [Fact]
    public async Task Unknown_ids_answer_404_problem_json_on_every_route()
    {
        await using var daemon = await DaemonFixture.StartAsync(new FakeZpool());
        var client = daemon.Client(daemon.Token);
        var valid = Json("""{"name":"x","url":"http://127.0.0.1:9/hook"}""");
        foreach (var response in new[]
                 {
                     await client.GetAsync("/api/alerts/webhooks/41"),
                     await client.PutAsync("/api/alerts/webhooks/42", valid),
                     await client.DeleteAsync("/api/alerts/webhooks/43"),
                     await client.PostAsync("/api/alerts/webhooks/44/test", null),
                 })
        {
            var problem = await Problem(response, HttpStatusCode.NotFound);
            Assert.StartsWith("No webhook with id 4", problem.GetProperty("detail").GetString());
        }
    }

    [Fact]
    public async Task Bad_input_is_a_400_with_errors_by_field_and_changes_nothing()
    {
        await using var daemon = await DaemonFixture.StartAsync(new FakeZpool());
        var client = daemon.Client(daemon.Token);
        var created = await client.PostAsync("/api/alerts/webhooks", Json("""{"name":"ops","url":"http://127.0.0.1:9/hook"}"""));
        var id = (await ReadJson(created)).GetProperty("id").GetInt32();
        var before = await client.GetStringAsync("/api/alerts/webhooks");

        var invalid = await Problem(await client.PostAsync("/api/alerts/webhooks",
            Json("""{"name":"new","url":"ftp://x","events":"[\"pool.degraded\"]","headers":{"Host":"evil"}}""")), HttpStatusCode.BadRequest);
        var errors = invalid.GetProperty("errors");
        Assert.Contains("http", errors.GetProperty("url")[0].GetString());
        Assert.Contains("array of strings", errors.GetProperty("events")[0].GetString());
        Assert.Contains("cannot be configured", errors.GetProperty("headers.Host")[0].GetString());

        await Problem(await client.PutAsync($"/api/alerts/webhooks/{id}", Json("""{"name":"ops","url":"not a url"}""")), HttpStatusCode.BadRequest);
        var malformed = await Problem(await client.PostAsync("/api/alerts/webhooks", Json("""{"name":"x",""")), HttpStatusCode.BadRequest);
        Assert.Equal("The request body is not valid JSON", malformed.GetProperty("title").GetString());
        var duplicate = await Problem(await client.PostAsync("/api/alerts/webhooks", Json("""{"name":"OPS","url":"http://127.0.0.1:9/other"}""")), HttpStatusCode.Conflict);
        Assert.Contains("already used", duplicate.GetProperty("detail").GetString());

        Assert.Equal(before, await client.GetStringAsync("/api/alerts/webhooks"));
    }

    [Fact]
    public async Task Smtp_settings_keep_the_password_write_only_and_refuse_bad_input()
    {
        await using var daemon = await DaemonFixture.StartAsync(new FakeZpool());
        var client = daemon.Client(daemon.Token);

        Assert.False((await client.GetFromJsonAsync<JsonElement>("/api/alerts/smtp")).GetProperty("configured").GetBoolean());
        await Problem(await client.PostAsync("/api/alerts/smtp/test", null), HttpStatusCode.Conflict);

        var put = await client.PutAsync("/api/alerts/smtp", Json("""
            {"host":"127.0.0.1","port":2525,"security":"starttls","username":"alerts","password":"smtp-password-1",
             "from":"nas@example.net","recipients":["ops@example.net"],"minimumSeverity":"warning"}
            """));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var text = await put.Content.ReadAsStringAsync();
        Assert.DoesNotContain("smtp-password-1", text);
        var settings = JsonDocument.Parse(text).RootElement;
        Assert.Equal("********", settings.GetProperty("password").GetString());
        Assert.True(settings.GetProperty("hasPassword").GetBoolean());
        Assert.Equal("starttls", settings.GetProperty("security").GetString());

        var before = await client.GetStringAsync("/api/alerts/smtp");
        var invalid = await Problem(await client.PutAsync("/api/alerts/smtp", Json("""{"host":"127.0.0.1","from":"not-an-address","recipients":[],"security":"tls"}""")),
            HttpStatusCode.BadRequest);
        Assert.Equal(["from", "recipients", "security"], invalid.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(before, await client.GetStringAsync("/api/alerts/smtp"));
        Assert.DoesNotContain("smtp-password-1", before);
    }

    [Fact]
    public async Task A_webhook_moved_to_another_origin_says_its_secret_and_masked_headers_are_gone()
    {
        await using var daemon = await DaemonFixture.StartAsync(new FakeZpool());
        var client = daemon.Client(daemon.Token);
        var created = await ReadJson(await client.PostAsync("/api/alerts/webhooks", Json($$"""
            {"name":"ops","url":"https://hooks.example/a","headers":{"X-Token":"header-token-value"},"secret":"{{Secret}}"}
            """)));
        var id = created.GetProperty("id").GetInt32();

        var edited = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(await client.GetStringAsync($"/api/alerts/webhooks/{id}"))!;
        edited["url"] = JsonSerializer.SerializeToElement("https://hooks.example:443/b");
        var samePlace = await ReadJson(await client.PutAsync($"/api/alerts/webhooks/{id}", Json(JsonSerializer.Serialize(edited))));
        Assert.True(samePlace.GetProperty("hasSecret").GetBoolean());
        Assert.Equal("********", samePlace.GetProperty("headers").GetProperty("X-Token").GetString());

        edited["url"] = JsonSerializer.SerializeToElement("https://elsewhere.example/b");
        var moved = await client.PutAsync($"/api/alerts/webhooks/{id}", Json(JsonSerializer.Serialize(edited)));
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        var movedJson = await ReadJson(moved);
        Assert.False(movedJson.GetProperty("hasSecret").GetBoolean());
        Assert.Empty(movedJson.GetProperty("headers").EnumerateObject());
        var read = await client.GetFromJsonAsync<JsonElement>($"/api/alerts/webhooks/{id}");
        Assert.False(read.GetProperty("hasSecret").GetBoolean());
        Assert.Empty(read.GetProperty("headers").EnumerateObject());
    }

    [Fact]
    public async Task Smtp_auth_over_security_none_is_a_400_naming_the_username_and_why_and_changes_nothing()
    {
        await using var daemon = await DaemonFixture.StartAsync(new FakeZpool());
        var client = daemon.Client(daemon.Token);
        var before = await client.GetStringAsync("/api/alerts/smtp");

        var problem = await Problem(await client.PutAsync("/api/alerts/smtp", Json("""
            {"host":"relay.lan","port":25,"security":"none","username":"alerts","password":"smtp-password-1",
             "from":"nas@example.net","recipients":["ops@example.net"]}
            """)), HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        Assert.Equal(["username"], errors.EnumerateObject().Select(p => p.Name));
        Assert.Contains("in the clear", errors.GetProperty("username")[0].GetString());
        Assert.Equal(before, await client.GetStringAsync("/api/alerts/smtp"));

        var plain = await client.PutAsync("/api/alerts/smtp", Json("""
            {"host":"relay.lan","port":25,"security":"none","from":"nas@example.net","recipients":["ops@example.net"]}
            """));
        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
    }

    [Fact]
    public async Task The_api_description_lists_the_alert_routes()
    {
        await using var daemon = await DaemonFixture.StartAsync(new FakeZpool());
        var paths = (await daemon.Client(daemon.Token).GetFromJsonAsync<JsonElement>("/openapi/v1.json")).GetProperty("paths");
        foreach (var path in new[] { "/api/alerts/webhooks", "/api/alerts/webhooks/{id}", "/api/alerts/webhooks/{id}/test", "/api/alerts/smtp", "/api/alerts/smtp/test" })
            Assert.True(paths.TryGetProperty(path, out _), $"{path} missing from the OpenAPI document");
    }

    [Theory]
    [InlineData("GET", "/api/alerts/webhooks")]
    [InlineData("POST", "/api/alerts/webhooks/1/test")]
    [InlineData("GET", "/api/alerts/smtp")]
    [InlineData("POST", "/api/alerts/smtp/test")]
    public async Task Alert_routes_need_the_token(string method, string path)
    {
        await using var daemon = await DaemonFixture.StartAsync(new FakeZpool());
        var response = await daemon.Client().SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
