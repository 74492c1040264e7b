using DPlaneOS.Actors.Alerts.Delivery;

namespace DPlaneOS.Actors.Alerts.Webhooks;

/// <summary>
/// The webhook registry and its delivery: CRUD on persisted webhooks, and every alert notification
/// a webhook wants goes through the persistent outbox of <see cref="OutboxSinkActor"/> (retry with
/// backoff, exactly one successful delivery per webhook, survives restarts).
/// </summary>
public sealed class WebhooksActor : OutboxSinkActor
{
    public const string JournalId = "alert-webhooks";
    public const string TestEventType = "webhook.test";

    private readonly IWebhookSender _sender;
    private WebhookRegistry _registry = WebhookRegistry.Empty;

    public WebhooksActor(IWebhookSender sender, OutboxSinkSettings settings) : base(settings)
    {
        _sender = sender;
        Command<Protocol.List>(_ => Sender.Tell(new WebhookList(_registry.Webhooks.Values.Select(View).ToList())));
        Command<Protocol.Get>(get => Sender.Tell(_registry.Find(get.Id) is { } webhook ? new SinkReply.Ok<WebhookView>(View(webhook)) : NotFound(get.Id)));
        Command<Protocol.Create>(OnCreate);
        Command<Protocol.Replace>(OnReplace);
        Command<Protocol.Delete>(OnDelete);
        Command<Protocol.Test>(OnTest);
        Command<GetStoredSecrets>(_ => Sender.Tell(new StoredSecrets(_registry.Webhooks.Values.SelectMany(w => w.StoredSecrets()).ToList())));
    }

    public override string PersistenceId => JournalId;

    protected override IEnumerable<int> SubscribersOf(AlertMessage message) =>
        _registry.Webhooks.Values.Where(w => w.Wants(message)).Select(w => w.Id);

    protected override bool IsActive(int target) => _registry.Find(target) is { Enabled: true };

    protected override Task<DeliveryOutcome> AttemptAsync(int target, AlertMessage message, CancellationToken cancellationToken) =>
        _registry.Find(target) is { } webhook
            ? _sender.SendAsync(webhook, message, cancellationToken)
            : Task.FromResult(DeliveryOutcome.Failure(null, "webhook deleted", 0));

    protected override bool HoldsTarget(DeliveryOutcome failure) => HttpWebhookSender.ReceiverUnavailable(failure);

    protected override string Describe(int target) => _registry.Find(target)?.Describe() ?? $"webhook {target}";

    protected override IPersistedEvent TakeSnapshot() =>
        new WebhookJournal.WebhooksSnapshot(_registry.Webhooks.Values.ToList(), _registry.NextId, Outbox.ToSnapshot());

    protected override void RestoreSnapshot(object snapshot)
    {
        var saved = (WebhookJournal.WebhooksSnapshot)snapshot;
        _registry = saved.Webhooks.Aggregate(WebhookRegistry.Empty with { NextId = saved.NextId }, (registry, webhook) => registry.Put(webhook));
        RestoreOutbox(saved.Outbox);
    }

    protected override void Apply(IPersistedEvent record)
    {
        switch (record)
        {
            case WebhookJournal.WebhookCreated created:
                _registry = _registry.Put(created.Webhook);
                break;
            case WebhookJournal.WebhookUpdated updated:
                _registry = _registry.Put(updated.Webhook);
                break;
            case WebhookJournal.WebhookDeleted deleted:
                _registry = _registry.Remove(deleted.Id);
                ForgetTarget(deleted.Id);
                break;
            default:
                base.Apply(record);
                break;
        }
    }

    private WebhookView View(Webhook webhook) => WebhookView.Of(webhook, Outbox);

    private static SinkReply.NotFound NotFound(int id) => new($"No webhook with id {id}");

    private void OnCreate(Protocol.Create create) =>
        Save(_registry.Create(create.Input, Time.GetUtcNow()), webhook => new WebhookJournal.WebhookCreated(webhook), "created");

    private void OnReplace(Protocol.Replace replace) =>
        Save(_registry.Replace(replace.Id, replace.Input, Time.GetUtcNow()), webhook => new WebhookJournal.WebhookUpdated(webhook), "updated");

    /// <summary>Journals an accepted webhook and answers with its view, or answers why it was rejected.</summary>
    private void Save((Webhook? Accepted, SinkReply? Rejected) decision, Func<Webhook, IPersistedEvent> record, string done)
    {
        if (decision.Accepted is not { } webhook)
        {
            Sender.Tell(decision.Rejected);
            return;
        }
        Record(record(webhook), _ =>
        {
            Log.Info("{0} {1}", webhook.Describe(), done);
            Sender.Tell(new SinkReply.Ok<WebhookView>(View(webhook)));
            // A (re-)enabled webhook's waiting deliveries may go now.
            Dispatch();
        });
    }

    private void OnDelete(Protocol.Delete delete)
    {
        if (_registry.Find(delete.Id) is not { } webhook)
        {
            Sender.Tell(NotFound(delete.Id));
            return;
        }
        var pending = Outbox.Pending(delete.Id);
        Record(new WebhookJournal.WebhookDeleted(delete.Id, Time.GetUtcNow()), _ =>
        {
            Log.Info("{0} deleted with {1} pending deliveries", webhook.Describe(), pending);
            Sender.Tell(SinkReply.Deleted.Instance);
        });
    }

    /// <summary>One immediate attempt of a synthetic notification, whatever the filter or enabled flag; nothing is queued.</summary>
    private void OnTest(Protocol.Test test)
    {
        if (_registry.Find(test.Id) is not { } webhook)
        {
            Sender.Tell(NotFound(test.Id));
            return;
        }
        var data = new Dictionary<string, string> { ["webhookId"] = webhook.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), ["webhookName"] = webhook.Name };
        var message = AlertMessage.Test(TestEventType, webhook.Name, Node.Name, Time.GetUtcNow(), data);
        AnswerTest(_sender.SendAsync(webhook, message, Stopping));
    }

    public static class Protocol
    {
        /// <summary>Answered with <see cref="WebhookList"/>.</summary>
        public sealed record List
        {
            public static readonly List Instance = new();
        }

        /// <summary>Answered with <see cref="SinkReply.Ok{T}"/> of <see cref="WebhookView"/>, or NotFound.</summary>
        public sealed record Get(int Id);

        /// <summary>Answered with Ok(<see cref="WebhookView"/>), Conflict or Invalid.</summary>
        public sealed record Create(WebhookInput Input);

        /// <summary>Answered with Ok(<see cref="WebhookView"/>), NotFound, Conflict or Invalid.</summary>
        public sealed record Replace(int Id, WebhookInput Input);

        /// <summary>Answered with Deleted or NotFound.</summary>
        public sealed record Delete(int Id);

        /// <summary>Answered with Ok(<see cref="TestDelivery"/>) or NotFound.</summary>
        public sealed record Test(int Id);
    }
}
