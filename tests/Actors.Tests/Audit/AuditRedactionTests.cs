using DPlaneOS.Actors.Audit;
using DPlaneOS.Actors.Events;
using DPlaneOS.Actors.Node;

namespace DPlaneOS.Actors.Tests.Audit;

public sealed class AuditRedactionTests
{
    /// <summary>The node the events of these tests come from.</summary>
    private static readonly NodeIdentity TestNode = NodeIdentity.Named("nas1");

    [Theory]
    [InlineData("password")]
    [InlineData("smtpPassword")]
    [InlineData("smtp_pass")]
    [InlineData("webhook_secret")]
    [InlineData("api-key")]
    [InlineData("ApiKey")]
    [InlineData("access_token")]
    [InlineData("Authorization")]
    [InlineData("private_key")]
    [InlineData("passphrase")]
    [InlineData("client_credentials")]
    public void Secret_looking_names_are_masked(string name)
    {
        Assert.True(AuditRedaction.IsSensitiveName(name));
        Assert.Equal(AuditRedaction.Mask, AuditRedaction.Value(name, "qz-value"));
    }

    [Theory]
    [InlineData("pool")]
    [InlineData("dataset")]
    [InlineData("url")]
    [InlineData("enabled")]
    [InlineData("severity")]
    public void Ordinary_names_keep_their_values(string name)
    {
        Assert.False(AuditRedaction.IsSensitiveName(name));
        Assert.Equal("tank/data", AuditRedaction.Value(name, "tank/data"));
    }

    [Fact]
    public void Credentials_inside_values_are_masked_and_long_values_cut()
    {
        // A URL keeps only its origin: credentials, path and query are gone.
        Assert.Equal("https://hooks.example", AuditRedaction.Value("url", "https://alice:pw@hooks.example/x?y=1"));
        Assert.Equal("smtp://mail:587", AuditRedaction.Value("target", "smtp://bob@mail:587"));
        Assert.Equal("https://hooks.example", AuditRedaction.Value("url", "https://a:p@ss@hooks.example/x"));
        Assert.Equal("header ***", AuditRedaction.Value("note", "header Bearer abc.def"));
        Assert.Equal("use *** now", AuditRedaction.Value("note", "use dpl_AbCdEfGhIjKlMnOp now"));
        var cut = AuditRedaction.Value("note", new string('x', 1000));
        Assert.Equal(AuditRedaction.MaxValueLength + 1, cut.Length);
    }

    [Theory]
    [InlineData("https://hooks.slack.com/services/T000/B000/XXXXSECRET", "https://hooks.slack.com")]
    [InlineData("https://api.telegram.org/bot123:ABC/sendMessage", "https://api.telegram.org")]
    [InlineData("https://discord.com/api/webhooks/123/tok-en?wait=true", "https://discord.com")]
    [InlineData("http://127.0.0.1:8080/hook#frag", "http://127.0.0.1:8080")]
    [InlineData("https://[::1]:8443/x", "https://[::1]:8443")]
    [InlineData("HTTPS://Hooks.Example?token=qz", "HTTPS://Hooks.Example")]
    [InlineData("https://hooks.example", "https://hooks.example")]
    [InlineData("moved from https://a.example/t/qz1 to https://b.example/t/qz2 today", "moved from https://a.example to https://b.example today")]
    [InlineData("tank/data", "tank/data")]
    public void Urls_keep_only_scheme_host_and_port(string value, string recorded) =>
        Assert.Equal(recorded, AuditRedaction.Value("url", value));

    [Fact]
    public void Event_types_match_exactly_or_by_glob()
    {
        var patterns = EventTypePattern.FromConfiguration(["docker.stopped", "gitops.apply.*", " "]);
        Assert.True(patterns.Matches("docker.stopped"));
        Assert.True(patterns.Matches("gitops.apply.started"));
        Assert.True(patterns.Matches("gitops.apply.failed"));
        Assert.False(patterns.Matches("docker.stopped.extra"));
        Assert.False(patterns.Matches("gitops.applyx"));
        Assert.False(patterns.Matches("gitops.drift"));
        Assert.False(EventTypePattern.FromConfiguration([]).Matches("docker.stopped"));
    }

    [Fact]
    public void A_monitor_event_becomes_a_system_entry_with_masked_data()
    {
        var monitorEvent = MonitorEvent.Create(TestNode, "gitops.apply.failed", Severity.Warning, "plan-3", DateTimeOffset.UnixEpoch,
            new Dictionary<string, string> { ["error"] = "zpool busy", ["deploy_token"] = "qz" });
        var entry = AuditEntries.FromMonitorEvent(monitorEvent);
        Assert.Equal(("system", "gitops.apply.failed", "plan-3", false), (entry.Actor, entry.Action, entry.Resource, entry.Success));
        Assert.Equal("zpool busy", entry.Details["data.error"]);
        Assert.Equal("***", entry.Details["data.deploy_token"]);
        Assert.Equal(monitorEvent.Id, entry.Details["event.id"]);
        Assert.True(AuditEntries.FromMonitorEvent(monitorEvent with { Type = "docker.stopped" }).Success);
        Assert.False(AuditEntries.FromMonitorEvent(monitorEvent with { Type = "docker.restarted", Data = new Dictionary<string, string> { ["success"] = "false" } }).Success);
    }
}
