using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Akka.Actor;
using DPlaneOS.Actors.Events;
using DPlaneOS.Actors.Node;
using DPlaneOS.TestSupport;
using DPlaneOS.TestSupport.Alerts;

namespace DPlaneOS.Integration.Tests;

/// <summary>A silence over the real daemon: its router, its journal and a real webhook receiver.</summary>
public sealed class SilenceDeliveryTests
{
    private static readonly NodeIdentity DaemonNode = NodeIdentity.Named(Environment.MachineName);
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(20);

    private static void Publish(DaemonFixture daemon, string subject, Severity severity = Severity.Warning) =>
        MonitorBus.Publish(daemon.App.Services.GetRequiredService<ActorSystem>(),
            MonitorEvent.Create(DaemonNode, "pool.degraded", severity, subject, DateTimeOffset.UtcNow, new Dictionary<string, string> { ["pool"] = subject }));

    private static int DeliveriesFor(WebhookReceiver receiver, string subject) =>
        receiver.Accepted.Count(r => r.Json.GetProperty("subject").GetString() == subject && r.Json.GetProperty("kind").GetString() != "test");

    [Fact]
    public async Task A_silenced_pool_is_listed_but_not_delivered_and_delivered_once_when_the_silence_is_expired()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var daemon = await AlertDaemon.StartAsync(more: new Dictionary<string, string> { ["DPlaneOS:Alerts:Hysteresis"] = "00:00:00" });
        var admin = daemon.Client(daemon.Token);
        await daemon.CreateWebhookAsync($$$"""{"name":"ops","url":"{{{receiver.Url}}}"}""");
        await daemon.WaitForAlertSinksAsync();

        var created = await admin.PostAsync("/api/alerts/silences", AlertDaemon.Json($$"""
            {"matchers":{"types":["pool.*"],"subject":"tank"},"until":"{{DateTimeOffset.UtcNow.AddHours(1):O}}","comment":"disk swap"}
            """));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var silence = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = silence.GetProperty("id").GetString()!;

        // Until the router lists it (its subscription may not be live right after start); repeats change nothing.
        JsonElement tank = default;
        await AlertDaemon.EventuallyAsync(async () =>
        {
            Publish(daemon, "tank");
            return await admin.GetFromJsonAsync<JsonElement>("/api/alerts");
        }, alerts => alerts.GetProperty("items").EnumerateArray().Any(a =>
        {
            tank = a;
            return a.GetProperty("subject").GetString() == "tank";
        }), Within, "tank listed");
        Assert.Equal(JsonValueKind.String, tank.GetProperty("silencedUntil").ValueKind);
        Assert.False(tank.GetProperty("notified").GetBoolean());

        // A pool the silence does not match goes out: once it has, the router had tank's events before it.
        Publish(daemon, "other");
        await receiver.WaitForAsync(_ => DeliveriesFor(receiver, "other") == 1, Within, "other delivered");
        Assert.Equal(0, DeliveriesFor(receiver, "tank"));

        var expired = await admin.DeleteAsync($"/api/alerts/silences/{id}");
        Assert.Equal(HttpStatusCode.OK, expired.StatusCode);
        await receiver.WaitForAsync(_ => DeliveriesFor(receiver, "tank") == 1, Within, "tank delivered after the silence");
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync($"/api/alerts/silences/{id}")).StatusCode);

        // Once: a later delivery of another pool finds no second one for tank.
        Publish(daemon, "third");
        await receiver.WaitForAsync(_ => DeliveriesFor(receiver, "third") == 1, Within, "third delivered");
        Assert.Equal(1, DeliveriesFor(receiver, "tank"));
        Assert.Equal(0, (await admin.GetFromJsonAsync<JsonElement>("/api/alerts/silences")).GetProperty("items").GetArrayLength());
    }
}
