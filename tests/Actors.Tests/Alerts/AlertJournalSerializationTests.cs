using System.Text.Json;
using Akka.Serialization;
using DPlaneOS.Actors.Alerts.Delivery;
using DPlaneOS.Actors.Alerts.Smtp;
using DPlaneOS.Actors.Alerts.Webhooks;
using DPlaneOS.Actors.Events;
using DPlaneOS.Actors.Persistence;

namespace DPlaneOS.Actors.Tests.Alerts;

/// <summary>Every alert journal record goes through the daemon's stable-name JSON serializer and comes back whole.</summary>
public sealed class AlertJournalSerializationTests : AlertSinkTestKit
{
    private static readonly DateTimeOffset At = new(2025, 6, 1, 12, 0, 0, TimeSpan.FromHours(2));

    private static readonly AlertMessage Message = new("n-1", "pool.failed|tank", "raised", Severity.Critical, "e-1", "pool.failed", "tank", "nas1",
        At, At.AddSeconds(30), new Dictionary<string, string> { ["state"] = "FAULTED" });

    private static readonly Webhook Hook = new(3, "ops", "http://127.0.0.1/h", ["pool.*"], Severity.Warning, true,
        new Dictionary<string, string> { ["Authorization"] = "Bearer x" }, "secret-secret-secret", At, At);

    private static readonly SmtpSettings Smtp = new("mail", 587, SmtpSecurity.StartTls, "alerts", "pw", "a@b.c", ["d@e.f"], Severity.Critical, true,
        new string('A', 64), false, At);

    public static TheoryData<string, IPersistedEvent> Records()
    {
        var outbox = OutboxState.Empty.Apply(new OutboxJournal.DeliveryQueued(Message, [3], At))
            .Apply(new OutboxJournal.DeliveryFailed("n-1", 3, At, 503, "HTTP 503", At.AddSeconds(5)));
        return new TheoryData<string, IPersistedEvent>
        {
            { "alerts.delivery-queued.v1", new OutboxJournal.DeliveryQueued(Message, [1, 3], At) },
            { "alerts.delivery-succeeded.v1", new OutboxJournal.DeliverySucceeded("n-1", 3, At, 204, 12) },
            { "alerts.delivery-failed.v1", new OutboxJournal.DeliveryFailed("n-1", 3, At, null, "refused", null) },
            { "alerts.webhook-created.v1", new WebhookJournal.WebhookCreated(Hook) },
            { "alerts.webhook-updated.v1", new WebhookJournal.WebhookUpdated(Hook) },
            { "alerts.webhook-deleted.v1", new WebhookJournal.WebhookDeleted(3, At) },
            { "alerts.webhooks-snapshot.v1", new WebhookJournal.WebhooksSnapshot([Hook], 4, outbox.ToSnapshot()) },
            { "alerts.smtp-settings-changed.v1", new SmtpJournal.SmtpSettingsChanged(Smtp) },
            { "alerts.smtp-snapshot.v1", new SmtpJournal.SmtpSnapshot(Smtp, outbox.ToSnapshot()) },
            { "alerts.smtp-snapshot.v1", new SmtpJournal.SmtpSnapshot(null, OutboxState.Empty.ToSnapshot()) },
        };
    }

    [Theory]
    [MemberData(nameof(Records))]
    public void Each_record_round_trips_under_its_stable_name(string manifest, IPersistedEvent record)
    {
        var serializer = Assert.IsType<PersistedJsonSerializer>(Sys.Serialization.FindSerializerFor(record));
        Assert.Equal(manifest, Serialization.ManifestFor(serializer, record));
        var bytes = serializer.ToBinary(record);
        var back = serializer.FromBinary(bytes, manifest);
        Assert.IsType(record.GetType(), back);
        // Records holding collections compare by reference; their JSON compares by content.
        Assert.Equal(JsonSerializer.Serialize(record, record.GetType()), JsonSerializer.Serialize(back, back.GetType()));
    }

    [Fact]
    public void A_restored_outbox_snapshot_drives_the_same_next_delivery()
    {
        var state = OutboxState.Empty.Apply(new OutboxJournal.DeliveryQueued(Message, [3], At));
        var snapshot = new WebhookJournal.WebhooksSnapshot([Hook], 4, state.ToSnapshot());
        var serializer = (PersistedJsonSerializer)Sys.Serialization.FindSerializerFor(snapshot);
        var back = (WebhookJournal.WebhooksSnapshot)serializer.FromBinary(serializer.ToBinary(snapshot), "alerts.webhooks-snapshot.v1");
        var restored = OutboxState.FromSnapshot(back.Outbox);
        var next = restored.NextDue(3, At)!;
        Assert.Equal("FAULTED", next.Message.Data["state"]);
        Assert.Equal(Severity.Critical, next.Message.Severity);
        Assert.Equal(At, next.QueuedAt);
        Assert.Equal(["pool.failed|tank"], restored.OpenKeys[3]);
    }
}
