using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MimeKit;
using SmtpServer;
using SmtpServer.Authentication;
using SmtpServer.Net;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace DPlaneOS.TestSupport.Alerts;

/// <summary>
/// A real SMTP server (the SmtpServer package) on 127.0.0.1 and a free port. With a certificate it
/// offers STARTTLS (or implicit TLS); with credentials it requires AUTH. It records every AUTH
/// attempt (user, password, whether the link was encrypted) and every message received.
/// </summary>
public sealed class LabSmtpServer : IAsyncDisposable
{
    private readonly ConcurrentQueue<SmtpAuthAttempt> _auths = new();
    private readonly ConcurrentQueue<ReceivedMail> _mails = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _running = Task.CompletedTask;

    private LabSmtpServer()
    {
    }

    public int Port { get; private set; }

    public IReadOnlyList<SmtpAuthAttempt> Authentications => _auths.ToArray();

    public IReadOnlyList<ReceivedMail> Mails => _mails.ToArray();

    /// <param name="certificate">Offers STARTTLS with it (or implicit TLS when <paramref name="implicitTls"/>).</param>
    /// <param name="credentials">Requires AUTH with exactly these; any other is refused (535).</param>
    public static async Task<LabSmtpServer> StartAsync(
        X509Certificate2? certificate = null, (string User, string Password)? credentials = null, bool implicitTls = false, int port = 0)
    {
        var server = new LabSmtpServer();
        var options = new SmtpServerOptionsBuilder()
            .ServerName("localhost")
            .Endpoint(endpoint =>
            {
                endpoint.Endpoint(new IPEndPoint(IPAddress.Loopback, port))
                    .AllowUnsecureAuthentication(true)
                    .AuthenticationRequired(credentials is not null)
                    .IsSecure(implicitTls);
                if (certificate is not null) endpoint.Certificate(certificate);
            })
            .Build();

        var started = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var listeners = new EndpointListenerFactory();
        listeners.EndpointStarted += (_, e) => started.TrySetResult(((IPEndPoint)e.LocalEndPoint).Port);
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(listeners);
        services.Add(new Store(server));
        services.Add(new Authenticator(server, credentials));
        var smtp = new SmtpServer.SmtpServer(options, services);
        server._running = smtp.StartAsync(server._stop.Token);
        var first = await Task.WhenAny(started.Task, server._running, Task.Delay(TimeSpan.FromSeconds(10)));
        if (first != started.Task)
            throw new InvalidOperationException("The lab SMTP server did not start", server._running.Exception);
        server.Port = await started.Task;
        return server;
    }

    /// <summary>A self-signed server certificate for CN=localhost with 127.0.0.1 and localhost as subject alternative names.</summary>
    public static X509Certificate2 SelfSignedCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var ephemeral = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        // SslStream on Linux needs the private key in a loadable form: round-trip through PKCS#12.
        return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), null);
    }

    public async Task<IReadOnlyList<ReceivedMail>> WaitForMailsAsync(int count, TimeSpan within)
    {
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            var mails = Mails;
            if (mails.Count >= count) return mails;
            if (stopwatch.Elapsed > within)
                throw new TimeoutException($"The lab SMTP server received {mails.Count} mails, not {count}, within {within}: " +
                    string.Join("; ", mails.Select(m => m.Message.Subject)));
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _running.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
    }

    private sealed class Store(LabSmtpServer server) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(
            ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            using var stream = new MemoryStream(buffer.ToArray());
            var message = await MimeMessage.LoadAsync(stream, cancellationToken);
            server._mails.Enqueue(new ReceivedMail(
                message,
                context.Authentication.IsAuthenticated ? context.Authentication.User : null,
                context.Pipe.IsSecure,
                transaction.To.Select(to => $"{to.User}@{to.Host}").ToList()));
            return SmtpResponse.Ok;
        }
    }

    private sealed class Authenticator(LabSmtpServer server, (string User, string Password)? credentials) : UserAuthenticator
    {
        public override Task<bool> AuthenticateAsync(ISessionContext context, string user, string password, CancellationToken cancellationToken)
        {
            server._auths.Enqueue(new SmtpAuthAttempt(user, password, context.Pipe.IsSecure));
            return Task.FromResult(credentials is { } expected && expected.User == user && expected.Password == password);
        }
    }
}

public sealed record SmtpAuthAttempt(string User, string Password, bool Secure);

/// <param name="User">The authenticated user, or null.</param>
/// <param name="Secure">Whether the link was encrypted when the message was sent.</param>
public sealed record ReceivedMail(MimeMessage Message, string? User, bool Secure, IReadOnlyList<string> Recipients);
