using System.Text;
using DPlaneOS.Actors.Audit;
using DPlaneOS.Actors.Events;
using DPlaneOS.Actors.Node;

namespace DPlaneOS.Integration.Tests.Audit;

public sealed class AuditKeySecrecyTests
{
    /// <summary>The node of a test daemon without DPlaneOS:NodeName: its host name.</summary>
    private static readonly NodeIdentity DaemonNode = NodeIdentity.Named(Environment.MachineName);

    [Fact]
    public async Task The_key_is_created_0600_and_never_appears_in_a_response_or_a_log_line()
    {
        var dataDir = Directory.CreateTempSubdirectory("dplaned-audit-key-").FullName;
        var original = Console.Out;
        var captured = new StringWriter();
        Console.SetOut(TextWriter.Synchronized(captured));
        var responses = new StringBuilder();
        byte[] key;
        try
        {
            for (var start = 0; start < 2; start++)
            {
                await using var daemon = await AuditDaemon.StartAsync(dataDir);
                var keyFile = Path.Combine(dataDir, AuditKey.FileName);
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
                await daemon.PostThingsAsync(2);
                MonitorBus.Publish(daemon.System(), MonitorEvent.Create(DaemonNode, "docker.stopped", Severity.Critical, "web", DateTimeOffset.UtcNow));
                using var client = daemon.Client(daemon.Token);
                foreach (var path in new[] { "/api/system/audit/verify-chain", "/api/system/audit?limit=500", "/api/system/starts", "/openapi/v1.json", "/healthz", "/api/system/audit?limit=x" })
                    responses.AppendLine(await (await client.GetAsync(path)).Content.ReadAsStringAsync());
                responses.AppendLine(await (await client.PostAsync("/api/no-such-route", null)).Content.ReadAsStringAsync());
            }
            key = await File.ReadAllBytesAsync(Path.Combine(dataDir, AuditKey.FileName));
        }
        finally
        {
            Console.SetOut(original);
        }

        Assert.Equal(AuditKey.Length, key.Length);
        var logs = captured.ToString();
        // The capture works: the creation of the key is logged by path.
        Assert.Contains($"Created the audit chain key {Path.Combine(dataDir, AuditKey.FileName)}", logs);
        Assert.Contains("\"valid\":true", responses.ToString());
        foreach (var form in KeyForms(key))
        {
            Assert.DoesNotContain(form, logs, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(form, responses.ToString(), StringComparison.OrdinalIgnoreCase);
        }
    }

    private static IEnumerable<string> KeyForms(byte[] key)
    {
        yield return Convert.ToHexString(key);
        var base64 = Convert.ToBase64String(key);
        yield return base64.TrimEnd('=');
        yield return base64.TrimEnd('=').Replace('+', '-').Replace('/', '_');
        // Any 8 consecutive key bytes in hex: catches partial dumps too.
        for (var i = 0; i + 8 <= key.Length; i += 8) yield return Convert.ToHexString(key, i, 8);
    }
}
