using System.Text.Json;
using DPlaneOS.Actors.Alerts;
using DPlaneOS.Actors.Alerts.Webhooks;

namespace DPlaneOS.Actors.Tests.Alerts;

public sealed class WebhookRegistryTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private static WebhookRequest Request(string json) =>
        WebhookRequest.Parse(JsonDocument.Parse(json).RootElement, false, out var errors)
        ?? throw new InvalidOperationException(string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}")));

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
}
