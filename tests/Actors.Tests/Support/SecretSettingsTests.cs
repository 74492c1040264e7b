using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using DPlaneOS.Actors.Configuration;
using DPlaneOS.Actors.Node;
using DPlaneOS.Actors.Support;

namespace DPlaneOS.Actors.Tests.Support;

public sealed class SecretSettingsTests
{
    private static JsonNode Settings() => JsonNode.Parse("""
        {
          "DataDir": "/var/lib/dplaneos",
          "Persistence": { "ConnectionString": "Host=127.0.0.1;Port=5432;Username=dplane;Password=pg-Pa55word;Database=d" },
          "Smtp": { "Host": "mail", "Password": "smtp-pa55", "Tls": "StartTlsRequired" },
          "Webhooks": [ { "Url": "https://x", "Secret": "hook-s3cret" } ],
          "SupportBundle": { "ExtraSecrets": [ "newt-s3cret-1", "newt-s3cret-2" ] },
          "Api": { "Token": "" }
        }
        """)!;

    [Fact]
    public void Every_secret_is_found_with_the_setting_it_sits_in()
    {
        var found = SecretSettings.Find(Settings()).Select(s => (s.Label, s.Text)).ToList();
        Assert.Equal(
            [
                ("password in Persistence:ConnectionString", "pg-Pa55word"),
                ("setting Smtp:Password", "smtp-pa55"),
                ("setting Webhooks:0:Secret", "hook-s3cret"),
                ("setting SupportBundle:ExtraSecrets:0", "newt-s3cret-1"),
                ("setting SupportBundle:ExtraSecrets:1", "newt-s3cret-2"),
            ],
            found);
    }

    [Fact]
    public void Masking_keeps_everything_but_the_secrets()
    {
        var masked = SecretSettings.Masked(Settings())!.ToJsonString();
        foreach (var secret in new[] { "pg-Pa55word", "smtp-pa55", "hook-s3cret", "newt-s3cret-1", "newt-s3cret-2" })
            Assert.DoesNotContain(secret, masked);
        var node = JsonNode.Parse(masked)!;
        Assert.Equal("host=127.0.0.1;port=5432;username=dplane;password=[REDACTED];database=d", node["Persistence"]!["ConnectionString"]!.GetValue<string>());
        Assert.Equal("mail", node["Smtp"]!["Host"]!.GetValue<string>());
        Assert.Equal("[REDACTED]", node["Webhooks"]![0]!["Secret"]!.GetValue<string>());
        Assert.Equal("", node["Api"]!["Token"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("Host=db;Username=u;Password=from-npgsql;Database=d", "from-npgsql")]
    [InlineData("Server=db;User Id=u;PWD=npgsql-synonym", "npgsql-synonym")]
    [InlineData("Data Source=/var/lib/dplaneos/dplaneos.db;Password=sqlite-key", "sqlite-key")]
    [InlineData("Data Source=/var/lib/dplaneos/dplaneos.db", null)]
    [InlineData("not a connection string", null)]
    public void Connection_string_passwords_are_read_by_the_providers_own_parsers(string connectionString, string? password) =>
        Assert.Equal(password, SecretSettings.ConnectionStringPassword(connectionString));

    [Fact]
    public async Task The_daemons_options_yield_the_database_password_and_the_extra_secrets()
    {
        var options = new DPlaneOSOptions();
        options.Persistence.ConnectionString = "Host=127.0.0.1;Username=u;Password=opt-Pa55;Database=d";
        options.SupportBundle.ExtraSecrets.Add("tunnel-s3cret");
        var secrets = await new OptionsSecretSource(options).GetSecretsAsync(CancellationToken.None);
        Assert.Equal(["opt-Pa55", "tunnel-s3cret"], secrets.Select(s => s.Text));
    }

    [Fact]
    public async Task Data_dir_files_yield_the_api_token_and_the_audit_key()
    {
        var dir = Directory.CreateTempSubdirectory("dplaned-secrets-").FullName;
        try
        {
            var options = new DataDirectory(dir);
            Assert.Empty(await new DataDirSecretSource(options).GetSecretsAsync(CancellationToken.None));

            var key = RandomNumberGenerator.GetBytes(32);
            await File.WriteAllTextAsync(Path.Combine(dir, "api-token"), "dpl_abcdefghijklmnop\n");
            await File.WriteAllBytesAsync(Path.Combine(dir, "audit.key"), key);
            var secrets = await new DataDirSecretSource(options).GetSecretsAsync(CancellationToken.None);
            Assert.Equal("dpl_abcdefghijklmnop", secrets.Single(s => s.Label == "api-token").Text);
            Assert.Contains(secrets, s => s.Label == "audit-key" && s.Bytes.SequenceEqual(key));

            // A key stored as hex text is masked as that text too.
            await File.WriteAllTextAsync(Path.Combine(dir, "audit.key"), Convert.ToHexString(key) + "\n");
            secrets = await new DataDirSecretSource(options).GetSecretsAsync(CancellationToken.None);
            Assert.Contains(secrets, s => s.Label == "audit-key" && s.Text == Convert.ToHexString(key));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void The_options_as_serialized_for_the_bundle_hide_their_secrets()
    {
        var options = new DPlaneOSOptions();
        options.Persistence.ConnectionString = "Host=h;Password=ser-Pa55";
        options.SupportBundle.ExtraSecrets.Add("ser-extra");
        var json = SecretSettings.Masked(JsonSerializer.SerializeToNode(options, new JsonSerializerOptions(JsonSerializerDefaults.Web)))!.ToJsonString();
        Assert.DoesNotContain("ser-Pa55", json);
        Assert.DoesNotContain("ser-extra", json);
        Assert.Contains("\"dataDir\"", json);
    }
}
