using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using DPlaneOS.Actors.Fleet.Certificates;

namespace DPlaneOS.Actors.Tests.Fleet;

/// <summary>
/// Issued certificates in a real mutual-TLS handshake over loopback (SslStream, as Akka.Remote's DotNetty
/// transport uses), both sides judging the other with <see cref="FleetTrust.TlsCallback"/>.
/// </summary>
public sealed class FleetTlsHandshakeTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Two_nodes_of_one_fleet_complete_a_mutual_TLS_handshake_and_see_each_others_name()
    {
        using var ca = FleetCertificateAuthority.Create(Directory.CreateTempSubdirectory("dplaned-tls-").FullName, TimeProvider.System);
        var issuer = new FleetCertificateIssuer(ca, TimeProvider.System);
        using var server = issuer.Issue("nas1", FleetRole.Node);
        using var client = issuer.Issue("nas2", FleetRole.Node);
        var trust = new FleetTrust(ca.PublicCertificate(), TimeProvider.System);

        var (serverSaw, clientSaw) = await HandshakeAsync(server, client, trust).WaitAsync(Bound);

        Assert.Equal(new FleetPeer("nas2", FleetRole.Node), serverSaw);
        Assert.Equal(new FleetPeer("nas1", FleetRole.Node), clientSaw);
    }

    [Fact]
    public async Task A_client_with_a_certificate_from_another_CA_is_refused_by_the_server()
    {
        using var ca = FleetCertificateAuthority.Create(Directory.CreateTempSubdirectory("dplaned-tls-").FullName, TimeProvider.System);
        using var other = FleetCertificateAuthority.Create(Directory.CreateTempSubdirectory("dplaned-tls-").FullName, TimeProvider.System);
        using var server = new FleetCertificateIssuer(ca, TimeProvider.System).Issue("nas1", FleetRole.Node);
        using var stranger = new FleetCertificateIssuer(other, TimeProvider.System).Issue("nas2", FleetRole.Node);
        var trust = new FleetTrust(ca.PublicCertificate(), TimeProvider.System);

        // The stranger's own check of the server is lenient: the server's refusal is what is tested.
        var exception = await Record.ExceptionAsync(() => HandshakeAsync(server, stranger, trust, new FleetTrust(ca.PublicCertificate(), TimeProvider.System)).WaitAsync(Bound));

        Assert.True(exception is AuthenticationException or IOException, $"expected the handshake to fail, got {exception}");
    }

    private static async Task<(FleetPeer ServerSaw, FleetPeer ClientSaw)> HandshakeAsync(
        X509Certificate2 serverCertificate, X509Certificate2 clientCertificate, FleetTrust serverTrust, FleetTrust? clientTrust = null)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        async Task<FleetPeer> ServeAsync()
        {
            using var accepted = await listener.AcceptTcpClientAsync();
            await using var tls = new SslStream(accepted.GetStream());
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificate = serverCertificate,
                ClientCertificateRequired = true,
                RemoteCertificateValidationCallback = serverTrust.TlsCallback(),
            });
            var peer = serverTrust.Validate(new X509Certificate2(tls.RemoteCertificate!)).Peer!;
            await tls.WriteAsync(new byte[] { 1 });
            return peer;
        }

        async Task<FleetPeer> ConnectAsync()
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(IPAddress.Loopback, port);
            await using var tls = new SslStream(tcp.GetStream());
            var trust = clientTrust ?? serverTrust;
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "127.0.0.1",
                ClientCertificates = [clientCertificate],
                RemoteCertificateValidationCallback = trust.TlsCallback(),
            });
            var buffer = new byte[1];
            // TLS 1.3 finishes the client's side before the server has judged the client's certificate:
            // a refusal shows as a failed read.
            if (await tls.ReadAsync(buffer) != 1) throw new IOException("the server closed the connection");
            return trust.Validate(new X509Certificate2(tls.RemoteCertificate!)).Peer!;
        }

        var serving = ServeAsync();
        var connecting = ConnectAsync();
        var first = await Task.WhenAny(serving, connecting);
        if (first.IsFaulted) await first;
        return (await serving, await connecting);
    }
}
