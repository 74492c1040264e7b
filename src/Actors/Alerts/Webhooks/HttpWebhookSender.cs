using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using DPlaneOS.Actors.Alerts.Delivery;

namespace DPlaneOS.Actors.Alerts.Webhooks;

/// <summary>
/// POSTs the payload with HttpClient: one long-lived handler (pooled connections, DNS refreshed),
/// a deadline per attempt, no redirects (a 3xx is a failure: a redirect could lead anywhere), no
/// proxy, and a connect-time address check (<see cref="TargetAddressPolicy"/>).
/// </summary>
public sealed class HttpWebhookSender(HttpClient client, TimeSpan attemptTimeout, TimeProvider time) : IWebhookSender, IDisposable
{
    private static readonly string UserAgent = $"dplaned/{typeof(HttpWebhookSender).Assembly.GetName().Version?.ToString(3) ?? "0"}";

    public static HttpWebhookSender Create(WebhookDeliveryOptions options, TimeProvider time)
    {
        var allowLinkLocal = options.AllowLinkLocalTargets;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = options.AttemptTimeout,
            ConnectCallback = (context, cancellationToken) => ConnectAsync(context.DnsEndPoint, allowLinkLocal, cancellationToken),
        };
        return new HttpWebhookSender(new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan }, options.AttemptTimeout, time);
    }

    public async Task<DeliveryOutcome> SendAsync(Webhook webhook, AlertMessage message, CancellationToken cancellationToken)
    {
        var body = WebhookPayload.Render(message);
        using var request = new HttpRequestMessage(HttpMethod.Post, webhook.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        foreach (var (name, value) in webhook.Headers) request.Headers.TryAddWithoutValidation(name, value);
        if (!request.Headers.Contains("User-Agent")) request.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        request.Headers.Add(WebhookSignature.DeliveryHeader, message.Id);
        request.Headers.Add(WebhookSignature.EventHeader, message.Type);
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(StandardWebhookSignature.IdHeader, message.Id);
        request.Headers.Add(StandardWebhookSignature.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (webhook.Secret is { } secret)
        {
            request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Compute(secret, timestamp, body));
            request.Headers.Add(StandardWebhookSignature.SignatureHeader, StandardWebhookSignature.Compute(secret, message.Id, timestamp, body));
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(attemptTimeout);
        var started = time.GetTimestamp();
        long Elapsed() => (long)time.GetElapsedTime(started).TotalMilliseconds;
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode) return DeliveryOutcome.Success(status, Elapsed());
            var reason = status is >= 300 and < 400 ? "redirects are not followed" : response.ReasonPhrase;
            return DeliveryOutcome.Failure(status, $"HTTP {status} {reason}".TrimEnd(), Elapsed());
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return DeliveryOutcome.Failure(null, $"no response within {attemptTimeout.TotalSeconds:0.###} s", Elapsed());
        }
        catch (HttpRequestException ex)
        {
            return DeliveryOutcome.Failure(null, ex.InnerException is { } inner && !ex.Message.Contains(inner.Message, StringComparison.Ordinal)
                ? $"{ex.Message} {inner.Message}" : ex.Message, Elapsed());
        }
    }

    /// <summary>An answer that says the receiver as a whole is unavailable (not reachable, overloaded, failing), not that it refused this one body.</summary>
    public static bool ReceiverUnavailable(DeliveryOutcome failure) =>
        failure.StatusCode is null or >= 500 or 408 or 429 or (>= 300 and < 400);

    public void Dispose() => client.Dispose();

    private static async ValueTask<Stream> ConnectAsync(DnsEndPoint endpoint, bool allowLinkLocal, CancellationToken cancellationToken)
    {
        var addresses = IPAddress.TryParse(endpoint.Host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(endpoint.Host, cancellationToken);
        var allowed = addresses.Where(a => TargetAddressPolicy.Refusal(a, allowLinkLocal) is null).ToArray();
        if (allowed.Length == 0)
        {
            throw new HttpRequestException(addresses.Length == 0
                ? $"{endpoint.Host} resolves to no address"
                : $"refused to connect: {TargetAddressPolicy.Refusal(addresses[0], allowLinkLocal)}");
        }
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, endpoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
