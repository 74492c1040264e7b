using System.Net.Sockets;
using DPlaneOS.Actors.Alerts.Delivery;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;

namespace DPlaneOS.Actors.Alerts.Smtp;

/// <summary>
/// Sends with MailKit: explicit TLS mode (no silent downgrade), certificate policy from the
/// settings, MailKit's per-operation <see cref="SmtpClient.Timeout"/>, and the same deadline over
/// the whole send, so a stalled server can never hang delivery.
/// </summary>
public sealed class MailKitSmtpSender(TimeSpan timeout, TimeProvider time) : ISmtpSender
{
    public async Task<DeliveryOutcome> SendAsync(SmtpSettings settings, AlertMessage message, CancellationToken cancellationToken)
    {
        var mail = SmtpMessageBuilder.Build(settings, message, time.GetUtcNow());
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var started = time.GetTimestamp();
        long Elapsed() => (long)time.GetElapsedTime(started).TotalMilliseconds;
        using var client = new SmtpClient { Timeout = (int)timeout.TotalMilliseconds };
        client.ServerCertificateValidationCallback = (_, certificate, _, errors) =>
            SmtpCertificatePolicy.Accepts(errors, certificate, settings.TrustedCertificateThumbprint, settings.SkipCertificateVerification);
        try
        {
            var options = settings.Security switch
            {
                SmtpSecurity.None => SecureSocketOptions.None,
                SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
                _ => SecureSocketOptions.SslOnConnect,
            };
            await client.ConnectAsync(settings.Host, settings.Port, options, deadline.Token);
            if (settings.Username is { } username) await client.AuthenticateAsync(username, settings.Password ?? "", deadline.Token);
            await client.SendAsync(mail, deadline.Token);
            await client.DisconnectAsync(quit: true, deadline.Token);
            return DeliveryOutcome.Success(250, Elapsed());
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return DeliveryOutcome.Failure(null, $"no answer within {timeout.TotalSeconds:0.###} s", Elapsed());
        }
        catch (SmtpCommandException ex)
        {
            return DeliveryOutcome.Failure((int)ex.StatusCode, $"SMTP {(int)ex.StatusCode}: {ex.Message}", Elapsed());
        }
        catch (AuthenticationException ex)
        {
            return DeliveryOutcome.Failure(535, $"authentication failed: {ex.Message}", Elapsed());
        }
        catch (SslHandshakeException ex)
        {
            // MailKit's text runs to many lines of advice; the first says what happened.
            var first = ex.Message.Split('\n', 2)[0].Trim();
            return DeliveryOutcome.Failure(null, $"TLS handshake failed (certificate not trusted?): {first}", Elapsed());
        }
        catch (Exception ex) when (ex is IOException or SocketException or SmtpProtocolException or ProtocolException
            or NotSupportedException or ServiceNotConnectedException or TimeoutException)
        {
            return DeliveryOutcome.Failure(null, ex.Message, Elapsed());
        }
    }
}
