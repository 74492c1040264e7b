using System.Text.Json;
using DPlaneOS.Actors.Alerts;
using DPlaneOS.Actors.Alerts.Delivery;
using DPlaneOS.Actors.Alerts.Webhooks;

namespace DPlaneOS.Actors.Tests.Alerts;

public sealed class WebhookRegistryTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private static WebhookInput Request(string json) => SinkInputs.Webhook(json);

    private static (WebhookRegistry Registry, Webhook Webhook) Created(string json)
    {
        var (webhook, rejected) = WebhookRegistry.Empty.Create(Request(json), Now);
        Assert.Null(rejected);
        return (WebhookRegistry.Empty.Put(webhook!), webhook!);
    }

    [Fact]
    public void Ids_count_up_and_are_never_reused()
    {
        var (registry, first) = Created("""{"name":"a","url":"http://127.0.0.1/a"}""");
        var second = registry.Create(Request("""{"name":"b","url":"http://127.0.0.1/b"}"""), Now).Accepted!;
        registry = registry.Put(second).Remove(second.Id);
        var third = registry.Create(Request("""{"name":"c","url":"http://127.0.0.1/c"}"""), Now).Accepted!;
        Assert.Equal([1, 2, 3], [first.Id, second.Id, third.Id]);
    }

    [Fact]
    public void Names_are_unique_ignoring_case()
    {
        var (registry, _) = Created("""{"name":"Ops","url":"http://127.0.0.1/a"}""");
        var (accepted, rejected) = registry.Create(Request("""{"name":"ops","url":"http://127.0.0.1/b"}"""), Now);
        Assert.Null(accepted);
        Assert.Contains("already used by webhook 1", Assert.IsType<SinkReply.Conflict>(rejected).Detail);
    }

    [Fact]
    public void Replacing_without_or_with_the_masked_secret_keeps_it_null_removes_it_a_value_replaces_it()
    {
        var (registry, stored) = Created("""{"name":"a","url":"http://127.0.0.1/a","secret":"original-secret-123"}""");
        Assert.Equal("original-secret-123", stored.Secret);

        Assert.Equal("original-secret-123", registry.Replace(1, Request("""{"name":"a","url":"http://127.0.0.1/b"}"""), Now).Accepted!.Secret);
        Assert.Equal("original-secret-123", registry.Replace(1, Request("""{"name":"a","url":"http://127.0.0.1/b","secret":"********"}"""), Now).Accepted!.Secret);
        Assert.Null(registry.Replace(1, Request("""{"name":"a","url":"http://127.0.0.1/b","secret":null}"""), Now).Accepted!.Secret);
        Assert.Equal("replacement-secret-9", registry.Replace(1, Request("""{"name":"a","url":"http://127.0.0.1/b","secret":"replacement-secret-9"}"""), Now).Accepted!.Secret);
    }

    [Fact]
    public void A_masked_header_value_keeps_the_stored_one_and_omitted_headers_are_dropped()
    {
        var (registry, _) = Created("""{"name":"a","url":"http://127.0.0.1/a","headers":{"Authorization":"Bearer s3cr3t","X-Team":"storage"}}""");
        var replaced = registry.Replace(1, Request("""{"name":"a","url":"http://127.0.0.1/a","headers":{"authorization":"********","X-Env":"lab"}}"""), Now).Accepted!;
        Assert.Equal(new Dictionary<string, string> { ["authorization"] = "Bearer s3cr3t", ["X-Env"] = "lab" }, replaced.Headers);
    }

    [Fact]
    public void A_masked_header_value_with_nothing_stored_is_an_error()
    {
        var (registry, _) = Created("""{"name":"a","url":"http://127.0.0.1/a"}""");
        var (accepted, rejected) = registry.Replace(1, Request("""{"name":"a","url":"http://127.0.0.1/a","headers":{"Authorization":"********"}}"""), Now);
        Assert.Null(accepted);
        Assert.Contains("no header 'Authorization'", Assert.IsType<SinkReply.Invalid>(rejected).Errors["headers.Authorization"].Single());
    }

    [Fact]
    public void Replacing_an_unknown_id_is_not_found()
    {
        var (accepted, rejected) = WebhookRegistry.Empty.Replace(7, Request("""{"name":"a","url":"http://127.0.0.1/a"}"""), Now);
        Assert.Null(accepted);
        Assert.Equal("No webhook with id 7", Assert.IsType<SinkReply.NotFound>(rejected).Detail);
    }

    [Fact]
    public void Records_that_may_reach_a_log_never_print_secrets()
    {
        var request = Request("""{"name":"a","url":"http://127.0.0.1/a?token=url-token","secret":"original-secret-123","headers":{"Authorization":"Bearer s3cr3t"}}""");
        var (_, webhook) = Created("""{"name":"a","url":"http://127.0.0.1/a?token=url-token","secret":"original-secret-123","headers":{"Authorization":"Bearer s3cr3t"}}""");
        var printed = string.Join('\n', request.ToString(), webhook.ToString(), new WebhookJournal.WebhookCreated(webhook).ToString(),
            new WebhooksActor.Protocol.Create(request).ToString());
        Assert.DoesNotContain("original-secret-123", printed);
        Assert.DoesNotContain("s3cr3t", printed);
        Assert.DoesNotContain("url-token", printed);
        Assert.Contains("Name = a", printed);
    }

    [Fact]
    public void Views_never_show_the_secret_or_header_values()
    {
        var (_, webhook) = Created("""{"name":"a","url":"http://127.0.0.1/a","secret":"original-secret-123","headers":{"Authorization":"Bearer s3cr3t"}}""");
        var view = WebhookView.Of(webhook, DPlaneOS.Actors.Alerts.Delivery.OutboxState.Empty);
        var json = JsonSerializer.Serialize(view);
        Assert.DoesNotContain("original-secret-123", json);
        Assert.DoesNotContain("s3cr3t", json);
        Assert.True(view.HasSecret);
        Assert.Equal("********", view.Headers["Authorization"]);
    }

    private const string StoredSecret = "original-secret-123";

    // Write-only values belong to the origin they were given for (WebhookUpdate).

    /// <summary>Webhook 1 at <paramref name="url"/> with a secret and two header values.</summary>
    private static WebhookRegistry Stored(string url)
    {
        var (webhook, rejected) = WebhookRegistry.Empty.Create(Request($$$"""
            {"name":"a","url":"{{{url}}}","secret":"{{{StoredSecret}}}","headers":{"Authorization":"Bearer s3cr3t","X-Team":"storage"}}
            """), Now);
        Assert.Null(rejected);
        return WebhookRegistry.Empty.Put(webhook!);
    }

    /// <summary>What a client that round-trips GET sends: the secret omitted, header values masked.</summary>
    private static Webhook RoundTrip(WebhookRegistry registry, string url)
    {
        var (replaced, rejected) = registry.Replace(1, Request($$$"""
            {"name":"a","url":"{{{url}}}","headers":{"Authorization":"********","X-Team":"********"}}
            """), Now);
        Assert.Null(rejected);
        return replaced!;
    }

    [Theory]
    [InlineData("https://hooks.example/a", "https://hooks.example/b?x=1")]
    [InlineData("https://hooks.example/a", "https://hooks.example:443/a")]
    [InlineData("https://hooks.example:443/a", "https://hooks.example/a")]
    [InlineData("http://hooks.example/a", "http://hooks.example:80/a")]
    [InlineData("https://hooks.example/a", "HTTPS://Hooks.EXAMPLE/a")]
    [InlineData("http://127.0.0.1:9000/a", "http://127.0.0.1:9000/other")]
    public void The_same_origin_keeps_the_secret_and_the_masked_header_values(string before, string after)
    {
        var replaced = RoundTrip(Stored(before), after);
        Assert.Equal(StoredSecret, replaced.Secret);
        Assert.Equal(new Dictionary<string, string> { ["Authorization"] = "Bearer s3cr3t", ["X-Team"] = "storage" }, replaced.Headers);
        Assert.True(WebhookView.Of(replaced, OutboxState.Empty).HasSecret);
    }

    [Theory]
    [InlineData("https://hooks.example/a", "http://hooks.example/a")]
    [InlineData("https://hooks.example/a", "https://other.example/a")]
    [InlineData("https://hooks.example/a", "https://hooks.example.evil.net/a")]
    [InlineData("https://hooks.example/a", "https://hooks.example:8443/a")]
    [InlineData("http://127.0.0.1:9000/hook", "http://127.0.0.1:9001/hook")]
    [InlineData("http://127.0.0.1:9000/hook", "http://[::1]:9000/hook")]
    public void Another_origin_drops_the_secret_and_the_masked_header_values(string before, string after)
    {
        var replaced = RoundTrip(Stored(before), after);
        Assert.Null(replaced.Secret);
        Assert.Empty(replaced.Headers);
        var view = WebhookView.Of(replaced, OutboxState.Empty);
        Assert.False(view.HasSecret);
        Assert.Empty(view.Headers);
    }

    [Fact]
    public void Another_origin_keeps_what_the_same_request_sets_again()
    {
        var (replaced, rejected) = Stored("https://hooks.example/a").Replace(1, Request("""
            {"name":"a","url":"https://other.example/a","secret":"replacement-secret-9",
             "headers":{"Authorization":"Bearer new-token","X-Team":"********","X-Env":"lab"}}
            """), Now);
        Assert.Null(rejected);
        Assert.Equal("replacement-secret-9", replaced!.Secret);
        Assert.Equal(new Dictionary<string, string> { ["Authorization"] = "Bearer new-token", ["X-Env"] = "lab" }, replaced.Headers);
    }

    [Fact]
    public void A_masked_header_the_webhook_never_had_is_still_an_error_whatever_the_origin()
    {
        var (accepted, rejected) = Stored("https://hooks.example/a").Replace(1, Request("""
            {"name":"a","url":"https://other.example/a","headers":{"X-Unknown":"********"}}
            """), Now);
        Assert.Null(accepted);
        Assert.Contains("no header 'X-Unknown'", Assert.IsType<SinkReply.Invalid>(rejected).Errors["headers.X-Unknown"].Single());
    }

    [Theory]
    [InlineData("https://x/a", "https://x:443/b", true)]
    [InlineData("http://x/a", "http://x:80", true)]
    [InlineData("http://x/a", "https://x/a", false)]
    [InlineData("http://x:8080/a", "http://x:8081/a", false)]
    [InlineData("https://x/a", "https://x./a", false)]
    [InlineData("https://bücher.example/a", "https://xn--bcher-kva.example/b", true)]
    [InlineData("https://x/a", "not a url", false)]
    public void Same_origin_compares_scheme_host_and_effective_port(string a, string b, bool same) =>
        Assert.Equal(same, WebhookUpdate.SameOrigin(a, b));
}
