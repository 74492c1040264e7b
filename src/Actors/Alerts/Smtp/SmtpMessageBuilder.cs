using System.Globalization;
using System.Text;
using DPlaneOS.Actors.Alerts.Delivery;
using DPlaneOS.Actors.Alerts.Webhooks;
using MimeKit;
using MimeKit.Utils;

namespace DPlaneOS.Actors.Alerts.Smtp;

/// <summary>
/// The alert e-mail: subject <c>[dplaned] CRITICAL pool.failed tank</c>, a plain-text body with
/// every detail, Date and Message-ID headers. Header values are built by MimeKit from parsed
/// addresses and a subject with control characters removed, so nothing can inject a header.
/// </summary>
public static class SmtpMessageBuilder
{
    public static string Subject(AlertMessage message) =>
        OneLine($"[dplaned] {Label(message)} {message.Type} {message.Subject}");

    public static string Body(AlertMessage message)
    {
        var text = new StringBuilder();
        text.Append(Label(message)).Append(": ").Append(message.Type).Append(" on ").Append(message.Subject).Append("\n\n");
        Line(text, "Kind", message.Kind);
        Line(text, "Severity", SeverityThreshold.Name(message.Severity));
        Line(text, "Event", message.Type);
        Line(text, "Subject", message.Subject);
        Line(text, "Node", message.Node);
        Line(text, "Observed", message.Time.UtcDateTime.ToString("u", CultureInfo.InvariantCulture));
        Line(text, "Notified", message.At.UtcDateTime.ToString("u", CultureInfo.InvariantCulture));
        Line(text, "Notification", message.Id);
        if (message.Data.Count > 0)
        {
            text.Append("\nDetails:\n");
            foreach (var (name, value) in message.Data.OrderBy(d => d.Key, StringComparer.Ordinal))
                text.Append("  ").Append(OneLine(name)).Append(": ").Append(value.Replace("\n", "\n    ", StringComparison.Ordinal)).Append('\n');
        }
        text.Append("\n-- \ndplaned on ").Append(message.Node).Append('\n');
        return text.ToString();
    }

    public static MimeMessage Build(SmtpSettings settings, AlertMessage message, DateTimeOffset now)
    {
        var mail = new MimeMessage
        {
            Subject = Subject(message),
            Date = now,
            MessageId = MimeUtils.GenerateMessageId(),
            Body = new TextPart("plain") { Text = Body(message) },
        };
        mail.From.Add(MailboxAddress.Parse(settings.From));
        foreach (var recipient in settings.Recipients) mail.To.Add(MailboxAddress.Parse(recipient));
        mail.Headers.Add(WebhookSignature.DeliveryHeader, message.Id);
        return mail;
    }

    private static string Label(AlertMessage message) =>
        message.Kind == AlertMessage.TestKind ? "TEST" : SeverityThreshold.Name(message.Severity).ToUpperInvariant();

    private static void Line(StringBuilder text, string name, string value) =>
        text.Append(CultureInfo.InvariantCulture, $"{name + ":",-14}").Append(OneLine(value)).Append('\n');

    private static string OneLine(string value) =>
        string.Join(' ', value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Select(part => new string(part.Where(c => !char.IsControl(c)).ToArray())));
}
