using System.Text.Json;
using DPlaneOS.Actors.Alerts;
using DPlaneOS.Actors.Alerts.Webhooks;
using DPlaneOS.Actors.Events;
using DPlaneOS.Gateway.Alerts;

namespace DPlaneOS.Gateway.Tests.Alerts;

public sealed class WebhookRequestTests
{
    private static (WebhookInput? Request, IDictionary<string, string[]> Errors) Parse(string json, bool allowLinkLocal = false)
    {
        var request = WebhookRequest.Parse(JsonDocument.Parse(json).RootElement, allowLinkLocal, out var errors);
        return (request, errors);
    }

    private static IDictionary<string, string[]> Errors(string json)
    {
        var (request, errors) = Parse(json);
        Assert.Null(request);
        Assert.NotEmpty(errors);
        return errors;
    }

    [Fact]
    public void Name_and_url_suffice_and_the_rest_defaults_to_every_event_warning_and_enabled()
    {
        var (request, errors) = Parse("""{"name":" ops ","url":"https://hooks.example.net/dplane?x=1"}""");
        Assert.Empty(errors);
        Assert.NotNull(request);
        Assert.Equal("ops", request.Name);
        Assert.Equal(["*"], request.Events);
        Assert.Equal(Severity.Warning, request.MinimumSeverity);
        Assert.True(request.Enabled);
        Assert.Empty(request.Headers);
        Assert.Equal(SecretInput.Keep, request.Secret);
    }

    [Fact]
    public void Every_field_is_read_and_normalized()
    {
        var (request, errors) = Parse("""
            {"name":"ops","url":"http://10.0.0.5:8080/hook","events":["Pool.*","pool.*","capacity.critical"],
             "minimumSeverity":"CRITICAL","enabled":false,"headers":{"Authorization":"Bearer abc","X-Team":"storage"},
             "secret":"0123456789abcdef0123"}
            """);
        Assert.Empty(errors);
        Assert.Equal(["pool.*", "capacity.critical"], request!.Events);
        Assert.Equal(Severity.Critical, request.MinimumSeverity);
        Assert.False(request.Enabled);
        Assert.Equal(["Authorization", "X-Team"], request.Headers.Select(h => h.Key));
        Assert.Equal(SecretInput.Set("Bearer abc"), request.Headers[0].Value);
        Assert.Equal(SecretInput.Set("0123456789abcdef0123"), request.Secret);
    }

    [Theory]
    [InlineData("ftp://example.net/x", "absolute http:// or https://")]
    [InlineData("/relative/path", "absolute")]
    [InlineData("example.net/hook", "absolute")]
    [InlineData("http://user:pw@example.net/hook", "credentials")]
    [InlineData("http://example.net/hook#frag", "fragment")]
    [InlineData("http://exa mple.net/hook", "spaces")]
    [InlineData("http://169.254.169.254/latest/meta-data", "link-local")]
    [InlineData("http://[fe80::1]/hook", "link-local")]
    [InlineData("http://0.0.0.0/hook", "unspecified")]
    [InlineData("http://224.0.0.1/hook", "multicast")]
    public void Urls_must_be_absolute_http_targets_without_credentials(string url, string problem)
    {
        var errors = Errors($$"""{"name":"x","url":"{{url}}"}""");
        Assert.Contains(problem, Assert.Single(errors["url"]));
    }

    [Theory]
    [InlineData("http://127.0.0.1:9/hook")]
    [InlineData("http://[::1]:9/hook")]
    [InlineData("https://192.168.1.20/hook")]
    [InlineData("https://nas-receiver.lan/hook")]
    public void Loopback_and_lan_receivers_are_allowed(string url) => Assert.Empty(Parse($$"""{"name":"x","url":"{{url}}"}""").Errors);

    [Fact]
    public void Link_local_is_allowed_when_configured() =>
        Assert.Empty(Parse("""{"name":"x","url":"http://169.254.10.10/hook"}""", allowLinkLocal: true).Errors);

    [Fact]
    public void Every_bad_field_is_reported_at_once_by_name()
    {
        var errors = Errors("""
            {"name":"","url":"nope","events":"[\"pool.degraded\"]","minimumSeverity":"loud","enabled":"yes",
             "headers":{"Host":"x","Content-Length":"1","X-DPlaneOS-Delivery":"y","Bad Name":"z","X-Ok":"line\r\nInjected: 1"},
             "secret":"short","colour":"red"}
            """);
        Assert.Equal(
            ["colour", "enabled", "events", "headers.Bad Name", "headers.Content-Length", "headers.Host", "headers.X-DPlaneOS-Delivery",
             "headers.X-Ok", "minimumSeverity", "name", "secret", "url"],
            errors.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("array of strings", errors["events"].Single());
        Assert.Contains("unknown field", errors["colour"].Single());
        Assert.Contains("control characters", errors["headers.X-Ok"].Single());
    }

    [Theory]
    [InlineData("""[]""", "at least one")]
    [InlineData("""["pool..x"]""", "empty segment")]
    [InlineData("""["pool degraded"]""", "may hold only")]
    [InlineData("""[1]""", "array of strings")]
    public void Event_patterns_are_checked(string events, string problem) =>
        Assert.Contains(problem, Errors($$"""{"name":"x","url":"http://127.0.0.1/h","events":{{events}}}""")["events"].Single());

    [Theory]
    [InlineData("Connection")]
    [InlineData("transfer-encoding")]
    [InlineData("Upgrade")]
    [InlineData("Proxy-Authorization")]
    [InlineData("Content-Type")]
    [InlineData("x-dplaneos-signature")]
    public void Hop_by_hop_and_daemon_owned_headers_cannot_be_configured(string name) =>
        Assert.Contains("cannot be configured", Errors($$$"""{"name":"x","url":"http://127.0.0.1/h","headers":{"{{{name}}}":"v"}}""")[$"headers.{name}"].Single());

    [Fact]
    public void Fields_a_read_returns_may_be_sent_back()
    {
        var (request, errors) = Parse("""
            {"id":3,"name":"x","url":"http://127.0.0.1/h","hasSecret":true,"createdAt":"2025-01-01T00:00:00Z",
             "updatedAt":"2025-01-01T00:00:00Z","delivery":{"pending":0},"secret":"********","headers":{"Authorization":"********"}}
            """);
        Assert.Empty(errors);
        Assert.Equal(SecretInput.Keep, request!.Secret);
        Assert.Equal(SecretInput.Keep, request.Headers.Single().Value);
    }

    [Theory]
    [InlineData("""{"name":"x","url":"http://127.0.0.1/h"}""", SecretInput.Change.Keep)]
    [InlineData("""{"name":"x","url":"http://127.0.0.1/h","secret":"********"}""", SecretInput.Change.Keep)]
    [InlineData("""{"name":"x","url":"http://127.0.0.1/h","secret":null}""", SecretInput.Change.Clear)]
    [InlineData("""{"name":"x","url":"http://127.0.0.1/h","secret":""}""", SecretInput.Change.Clear)]
    [InlineData("""{"name":"x","url":"http://127.0.0.1/h","secret":"a-new-secret-of-20ch"}""", SecretInput.Change.Set)]
    public void The_secret_is_kept_when_absent_or_masked_cleared_by_null_or_empty(string json, SecretInput.Change expected) =>
        Assert.Equal(expected, Parse(json).Request!.Secret.Action);

    [Theory]
    [InlineData("[]")]
    [InlineData("\"text\"")]
    [InlineData("42")]
    public void A_body_that_is_not_an_object_is_refused(string json) => Assert.Contains("body", Errors(json).Keys);

    [Theory]
    [InlineData("pool..x")]
    [InlineData("pool.?")]
    [InlineData("a b")]
    public void Webhooks_and_the_websocket_filter_refuse_a_pattern_in_the_same_words(string pattern)
    {
        var json = $$"""{"name":"x","url":"http://127.0.0.1/h","events":[{{JsonSerializer.Serialize(pattern)}}]}""";
        Assert.Null(WebhookRequest.Parse(JsonDocument.Parse(json).RootElement, false, out var errors));
        var webhook = errors["events"].Single();

        Assert.Equal(webhook, EventTypePattern.TryParse(pattern, 10, out _));
        Assert.Equal(EventTypePattern.Error(pattern), webhook);
    }
}
