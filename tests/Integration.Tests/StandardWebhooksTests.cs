using System.Diagnostics;
using System.Text;
using System.Text.Json;
using DPlaneOS.Actors.Events;
using DPlaneOS.TestSupport.Alerts;
using DPlaneOS.TestSupport.Lab;

namespace DPlaneOS.Integration.Tests;

/// <summary>
/// Real deliveries of the real daemon, verified by the <c>standardwebhooks</c> npm package's own verifier
/// (tests/tools/standardwebhooks, installed by scripts/test.sh with <c>npm ci</c>), not by our code.
/// </summary>
public sealed class StandardWebhooksTests
{
    private const string StandardSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string PlainSecret = "integration-secret-0123456789";
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(20);

    private static string ToolDir => Path.Combine(Lab.RepoRoot, "tests", "tools", "standardwebhooks");

    /// <summary>Runs verify.mjs with node; fails (never skips) when node or the package is missing.</summary>
    private static async Task<(int Exit, string Output)> VerifyAsync(string secret, ReceivedRequest request, byte[]? body = null)
    {
        Assert.True(Directory.Exists(Path.Combine(ToolDir, "node_modules", "standardwebhooks")),
            $"the standardwebhooks package is not installed: run 'npm ci' in {ToolDir} (scripts/test.sh does)");
        var input = JsonSerializer.Serialize(new
        {
            secret,
            headers = new Dictionary<string, string?>
            {
                ["webhook-id"] = request.Header("webhook-id"),
                ["webhook-timestamp"] = request.Header("webhook-timestamp"),
                ["webhook-signature"] = request.Header("webhook-signature"),
            },
            body = Convert.ToBase64String(body ?? request.Body),
        });
        var start = new ProcessStartInfo("node", [Path.Combine(ToolDir, "verify.mjs")])
        {
            WorkingDirectory = ToolDir,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var node = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        await node.StandardInput.WriteAsync(input);
        node.StandardInput.Close();
        var output = await node.StandardOutput.ReadToEndAsync() + await node.StandardError.ReadToEndAsync();
        await node.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return (node.ExitCode, output.Trim());
    }

    [Fact]
    public async Task A_delivery_verifies_with_the_standardwebhooks_library_for_a_whsec_secret_and_a_plain_one()
    {
        await using var standardReceiver = await WebhookReceiver.StartAsync();
        await using var plainReceiver = await WebhookReceiver.StartAsync();
        await using var daemon = await AlertDaemon.StartAsync();
        await daemon.CreateWebhookAsync($$$"""{"name":"standard","url":"{{{standardReceiver.Url}}}","secret":"{{{StandardSecret}}}"}""");
        await daemon.CreateWebhookAsync($$$"""{"name":"plain","url":"{{{plainReceiver.Url}}}","secret":"{{{PlainSecret}}}"}""");
        await daemon.WaitForAlertSinksAsync();

        var notification = AlertTesting.Notification("pool.failed", Severity.Critical, "tank",
            data: new Dictionary<string, string> { ["state"] = "FAULTED" });
        daemon.PublishAlert(notification);
        var standard = (await standardReceiver.WaitForAsync(r => r.Count == 1, Within, "one delivery")).Single();
        var plain = (await plainReceiver.WaitForAsync(r => r.Count == 1, Within, "one delivery")).Single();

        Assert.Equal(notification.Id, standard.Header("webhook-id"));
        Assert.Equal(standard.Header("X-DPlaneOS-Timestamp"), standard.Header("webhook-timestamp"));
        Assert.StartsWith("v1,", standard.Header("webhook-signature"));
        // Today's header stays beside the standard ones for this release.
        Assert.StartsWith("sha256=", standard.Header("X-DPlaneOS-Signature"));

        Assert.Equal((0, "verified"), await VerifyAsync(StandardSecret, standard));
        // A plain secret is its UTF-8 bytes: the library takes it as whsec_ + base64 of them (README, "Webhooks").
        Assert.Equal((0, "verified"), await VerifyAsync("whsec_" + Convert.ToBase64String(Encoding.UTF8.GetBytes(PlainSecret)), plain));

        // The verifier is not a rubber stamp: a changed body or another secret is refused.
        var tampered = Encoding.UTF8.GetBytes(standard.Text.Replace("FAULTED", "ONLINE", StringComparison.Ordinal));
        Assert.Equal(1, (await VerifyAsync(StandardSecret, standard, tampered)).Exit);
        Assert.Equal(1, (await VerifyAsync("whsec_" + Convert.ToBase64String(Encoding.UTF8.GetBytes("another-secret-xyz-123")), plain)).Exit);
    }

    [Fact]
    public async Task A_secret_in_whsec_form_that_is_not_base64_is_refused_when_the_webhook_is_created()
    {
        await using var daemon = await AlertDaemon.StartAsync();
        var response = await daemon.Client(daemon.Token).PostAsync("/api/alerts/webhooks",
            AlertDaemon.Json("""{"name":"bad","url":"http://127.0.0.1:9/hook","secret":"whsec_this is not base64!!"}"""));
        Assert.Equal(400, (int)response.StatusCode);
        Assert.Contains("Standard Webhooks form", await response.Content.ReadAsStringAsync());
    }
}
