using DPlaneOS.Actors.Alerts.Delivery;

namespace DPlaneOS.Actors.Alerts.Smtp;

/// <summary>
/// Alert e-mail: the persisted SMTP configuration and delivery of every notification at or above
/// its minimum severity through the persistent outbox (one e-mail to all recipients per
/// notification, retried with backoff, survives restarts). The test route uses the stored
/// configuration, never one from the request.
/// </summary>
public sealed class SmtpNotifierActor : OutboxSinkActor
{
    public const string JournalId = "alert-smtp";
    public const string TestEventType = "smtp.test";

    /// <summary>The one target of the outbox: the configured server and recipients.</summary>
    private const int Target = 0;

    private readonly ISmtpSender _sender;
    private SmtpSettings? _settings;

    public SmtpNotifierActor(ISmtpSender sender, OutboxSinkSettings settings) : base(settings)
    {
        _sender = sender;
        Command<Protocol.GetSettings>(_ => Sender.Tell(View()));
        Command<Protocol.Update>(OnUpdate);
        Command<Protocol.Test>(_ => OnTest());
        Command<GetStoredSecrets>(_ => Sender.Tell(new StoredSecrets(
            _settings?.Password is { } password ? [new StoredSecret("smtp-password", password)] : [])));
    }

    public override string PersistenceId => JournalId;

    protected override IEnumerable<int> SubscribersOf(AlertMessage message) =>
        _settings is { Enabled: true } settings && SeverityThreshold.Passes(message.Severity, settings.MinimumSeverity) ? [Target] : [];

    protected override bool IsActive(int target) => _settings is { Enabled: true };

    protected override Task<DeliveryOutcome> AttemptAsync(int target, AlertMessage message, CancellationToken cancellationToken) =>
        _settings is { } settings ? Send(settings, message, cancellationToken) : Task.FromResult(DeliveryOutcome.Failure(null, "SMTP is not configured", 0));

    /// <summary>Sends with <paramref name="settings"/>, unless <see cref="SmtpSettings.SendRefusal"/> says why not.</summary>
    private Task<DeliveryOutcome> Send(SmtpSettings settings, AlertMessage message, CancellationToken cancellationToken) =>
        settings.SendRefusal is { } refusal
            ? Task.FromResult(DeliveryOutcome.Failure(null, refusal, 0))
            : _sender.SendAsync(settings, message, cancellationToken);

    protected override string Describe(int target) => _settings?.Describe() ?? "SMTP";

    protected override IPersistedEvent TakeSnapshot() => new SmtpJournal.SmtpSnapshot(_settings, Outbox.ToSnapshot());

    protected override void RestoreSnapshot(object snapshot)
    {
        var saved = (SmtpJournal.SmtpSnapshot)snapshot;
        _settings = saved.Settings;
        RestoreOutbox(saved.Outbox);
    }

    protected override void Apply(IPersistedEvent record)
    {
        if (record is SmtpJournal.SmtpSettingsChanged changed) _settings = changed.Settings;
        else base.Apply(record);
    }

    private SmtpSettingsView View() => SmtpSettingsView.Of(_settings, Outbox, Target);

    private void OnUpdate(Protocol.Update update)
    {
        var (settings, rejected) = update.Input.ApplyTo(_settings, Time.GetUtcNow());
        if (settings is null)
        {
            Sender.Tell(rejected);
            return;
        }
        Record(new SmtpJournal.SmtpSettingsChanged(settings), changed =>
        {
            Log.Info("{0} configured ({1}, {2} recipients, enabled {3})", changed.Settings.Describe(),
                SmtpSettings.SecurityName(changed.Settings.Security), changed.Settings.Recipients.Count, changed.Settings.Enabled);
            Sender.Tell(new SinkReply.Ok<SmtpSettingsView>(View()));
            Dispatch();
        });
    }

    private void OnTest()
    {
        if (_settings is not { } settings)
        {
            Sender.Tell(new SinkReply.Conflict("SMTP is not configured; PUT /api/alerts/smtp first"));
            return;
        }
        var data = new Dictionary<string, string> { ["note"] = "A test of the alert e-mail settings; no action is needed." };
        var message = AlertMessage.Test(TestEventType, Node.Name, Node.Name, Time.GetUtcNow(), data);
        AnswerTest(Send(settings, message, Stopping));
    }

    public static class Protocol
    {
        /// <summary>Answered with <see cref="SmtpSettingsView"/>.</summary>
        public sealed record GetSettings
        {
            public static readonly GetSettings Instance = new();
        }

        /// <summary>Answered with Ok(<see cref="SmtpSettingsView"/>) or Invalid.</summary>
        public sealed record Update(SmtpSettingsInput Input);

        /// <summary>Answered with Ok(<see cref="TestDelivery"/>) or Conflict when nothing is configured.</summary>
        public sealed record Test
        {
            public static readonly Test Instance = new();
        }
    }
}
