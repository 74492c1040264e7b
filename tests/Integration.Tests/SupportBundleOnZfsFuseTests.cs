using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using DPlaneOS.Gateway.Auth;
using DPlaneOS.TestSupport;
using DPlaneOS.TestSupport.Lab;

namespace DPlaneOS.Integration.Tests;

/// <summary>
/// POST /api/system/support-bundle on the real daemon over real zfs-fuse pools: complete, consistent
/// with its manifest, streamed, and free of every configured secret in every form.
/// </summary>
[Collection(ZfsFuseCollection.Name)]
public sealed partial class SupportBundleOnZfsFuseTests
{
    private static string Script(string dir, string name, string body)
    {
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    private static async Task<HttpResponseMessage> PostBundleAsync(HttpClient client) =>
        await client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/system/support-bundle"), HttpCompletionOption.ResponseHeadersRead);

    private static async Task WaitForPoolInViewAsync(HttpClient client, string pool)
    {
        for (var attempt = 0; attempt < 150; attempt++)
        {
            if ((await client.GetStringAsync("/api/zfs/health")).Contains($"\"{pool}\"", StringComparison.Ordinal)) return;
            await Task.Delay(100);
        }
        Assert.Fail($"the daemon's ZFS view never showed {pool}");
    }

    /// <summary>The forms a leak could take: as written, base64 (padded) and hex in both cases.</summary>
    private static IEnumerable<(string Form, byte[] Bytes)> Forms(string label, byte[] secret)
    {
        yield return ($"{label} plain", secret);
        yield return ($"{label} base64", Encoding.ASCII.GetBytes(Convert.ToBase64String(secret)));
        yield return ($"{label} hex", Encoding.ASCII.GetBytes(Convert.ToHexStringLower(secret)));
        yield return ($"{label} HEX", Encoding.ASCII.GetBytes(Convert.ToHexString(secret)));
    }

    [Fact]
    public async Task The_bundle_is_complete_matches_its_manifest_and_holds_no_secret_in_any_form()
    {
        await using var pool = await LabPool.CreateAsync();
        await Lab.HostAsync("zfs", "create", $"{pool.Name}/media");

        var dataDir = Directory.CreateTempSubdirectory("dplaned-bundle-").FullName;
        var token = CreateToken(dataDir);
        var auditKey = RandomNumberGenerator.GetBytes(32);
        await File.WriteAllBytesAsync(Path.Combine(dataDir, "audit.key"), auditKey);
        var extraSecret = "newt-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        var pgPassword = "Pg+" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(12));

        // journalctl's stand-in prints the secrets the way a careless log line would.
        string[] leaks =
        [
            token, B64(token), Hex(token),
            extraSecret, B64(extraSecret), Hex(extraSecret),
            Convert.ToHexStringLower(auditKey), Convert.ToHexString(auditKey), Convert.ToBase64String(auditKey),
            $"Host=db;Username=u;Password={pgPassword}",
        ];
        var journal = Script(dataDir, "journalctl", $"echo \"args: $*\"\n{string.Concat(leaks.Select(l => $"echo 'leak {l}'\n"))}");

        await using var daemon = await DaemonFixture.StartAsync(dataDir: dataDir, settings: new Dictionary<string, string>
        {
            ["DPlaneOS:SupportBundle:JournalctlPath"] = journal,
            ["DPlaneOS:SupportBundle:ExtraSecrets:0"] = extraSecret,
        });
        var client = daemon.Client(token);
        await WaitForPoolInViewAsync(client, pool.Name);

        using var response = await PostBundleAsync(client);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/gzip", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.TransferEncodingChunked, "the bundle is streamed with chunked encoding");
        Assert.Null(response.Content.Headers.ContentLength);
        var fileName = response.Content.Headers.ContentDisposition?.FileName?.Trim('"');
        Assert.Matches(BundleFileName(), fileName);
        var archive = await BundleArchive.ReadAsync(await response.Content.ReadAsStreamAsync());

        // Not one byte of any secret, in any form, in any header, name or entry.
        var secrets = Forms("api token", Encoding.UTF8.GetBytes(token))
            .Concat(Forms("extra secret", Encoding.UTF8.GetBytes(extraSecret)))
            .Concat(Forms("pg password", Encoding.UTF8.GetBytes(pgPassword)))
            .Concat(Forms("audit key", auditKey));
        foreach (var (form, bytes) in secrets)
            Assert.True(archive.IndexOf(bytes) < 0, $"the bundle contains the {form}");
        var journalText = archive.File("logs/dplaned-journal.txt").Text;
        Assert.Contains("args: -u dplaned -n 2000 --no-pager", journalText);
        Assert.Equal(leaks.Length, Regex.Matches(journalText, @"leak .*\[REDACTED").Count);

        // The manifest lists every file with its exact size and hash, and nothing else.
        var root = fileName![..^".tar.gz".Length];
        Assert.All(archive.Files, f => Assert.StartsWith(root + "/", f.Name));
        Assert.EndsWith("/manifest.json", archive.Files[^1].Name);
        var manifest = archive.Manifest;
        var listed = manifest.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(archive.Files.Count - 1, listed.Count);
        foreach (var entry in listed)
        {
            var file = archive.File(entry.GetProperty("name").GetString()!);
            Assert.Equal(file.Content.Length, entry.GetProperty("bytes").GetInt64());
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(file.Content)), entry.GetProperty("sha256").GetString());
        }

        Assert.Contains($"pool: {pool.Name}", archive.File("zfs/zpool-status.txt").Text);
        Assert.Contains($"{pool.Name}/media\tmountpoint\t", archive.File("zfs/zfs-get.txt").Text);
        Assert.Contains(pool.Name, archive.File("zfs/zpool-get.txt").Text);
        Assert.Contains(pool.Name, archive.File("daemon/zfs-view.json").Text);
        Assert.Contains("zfs/zpool-events.txt", manifest.GetProperty("skipped").EnumerateArray().Select(s => s.GetProperty("name").GetString()));
        Assert.Equal("zpool status -v", listed.Single(e => e.GetProperty("name").GetString() == "zfs/zpool-status.txt").GetProperty("command").GetString());

        var config = JsonDocument.Parse(archive.File("daemon/config.json").Content).RootElement;
        Assert.Equal("[REDACTED]", config.GetProperty("supportBundle").GetProperty("extraSecrets")[0].GetString());
        Assert.Equal(dataDir, config.GetProperty("dataDir").GetString());
        var version = JsonDocument.Parse(archive.File("daemon/version.json").Content).RootElement;
        Assert.False(string.IsNullOrEmpty(version.GetProperty("version").GetString()));
        // The api token, the audit key and the extra secret.
        Assert.Equal(3, manifest.GetProperty("redaction").GetProperty("secrets").GetInt32());
        Assert.Contains("\"items\"", archive.File("daemon/starts.json").Text);

        // The bundle request itself is audited before the response starts, so it is in the tail.
        Assert.Contains("POST /api/system/support-bundle", archive.File("audit/records.json").Text);
        Assert.True(JsonDocument.Parse(archive.File("audit/verify-chain.json").Content).RootElement.GetProperty("valid").GetBoolean());
        // Data-dir files are never copied raw: not the key, not the tail anchor beside it.
        Assert.DoesNotContain(archive.Files, f => f.Name.EndsWith("/audit.head", StringComparison.Ordinal) || f.Name.EndsWith("/audit.key", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_stored_webhook_and_smtp_secrets_are_read_from_the_actors_and_masked_in_every_form()
    {
        var dataDir = Directory.CreateTempSubdirectory("dplaned-bundle-").FullName;
        var token = CreateToken(dataDir);
        var webhookSecret = "whsec-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        var headerValue = "hdr-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        var smtpPassword = "Smtp+" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(12));
        var urlToken = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10));
        var url = $"https://hooks.slack.com/services/T000/B000/{urlToken}";
        string[] leaks =
        [
            webhookSecret, B64(webhookSecret), Hex(webhookSecret),
            headerValue, B64(headerValue), Hex(headerValue),
            smtpPassword, B64(smtpPassword), Hex(smtpPassword),
            url,
        ];
        // A careless log line about each of them, as journalctl would show it.
        var journal = Script(dataDir, "journalctl", string.Concat(leaks.Select(l => $"echo 'leak {l}'\n")));

        await using var daemon = await DaemonFixture.StartAsync(dataDir: dataDir, settings: new Dictionary<string, string>
        {
            ["DPlaneOS:SupportBundle:JournalctlPath"] = journal,
        });
        var client = daemon.Client(token);
        var created = await client.PostAsync("/api/alerts/webhooks", new StringContent($$"""
            {"name":"chat","url":"{{url}}","secret":"{{webhookSecret}}","headers":{"X-Api-Code":"{{headerValue}}"},"events":["nothing.*"]}
            """, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var smtp = await client.PutAsync("/api/alerts/smtp", new StringContent($$"""
            {"host":"127.0.0.1","port":2587,"security":"starttls","username":"alerts","password":"{{smtpPassword}}",
             "from":"nas@example.net","recipients":["ops@example.net"],"enabled":false}
            """, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, smtp.StatusCode);

        using var response = await PostBundleAsync(client);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var archive = await BundleArchive.ReadAsync(await response.Content.ReadAsStreamAsync());

        var secrets = Forms("webhook secret", Encoding.UTF8.GetBytes(webhookSecret))
            .Concat(Forms("header value", Encoding.UTF8.GetBytes(headerValue)))
            .Concat(Forms("smtp password", Encoding.UTF8.GetBytes(smtpPassword)))
            .Append(("url token", Encoding.UTF8.GetBytes(urlToken)));
        foreach (var (form, bytes) in secrets)
            Assert.True(archive.IndexOf(bytes) < 0, $"the bundle contains the {form}");
        var journalText = archive.File("logs/dplaned-journal.txt").Text;
        Assert.Equal(leaks.Length, Regex.Matches(journalText, @"leak \[REDACTED:[A-Za-z0-9.-]+\]\n").Count);
        foreach (var label in new[] { "webhook-1-secret", "webhook-1-header-X-Api-Code", "webhook-1-url", "smtp-password" })
            Assert.Contains($"[REDACTED:{label}]", journalText);
        // The audit tail has the webhook's creation, with the URL's origin and no header value.
        var audit = archive.File("audit/records.json").Text;
        Assert.Contains("POST /api/alerts/webhooks", audit);
        Assert.Contains("\"https://hooks.slack.com\"", audit);
    }

    [Fact]
    public async Task A_missing_tool_and_a_hung_one_become_error_entries_and_the_bundle_still_completes()
    {
        var dataDir = Directory.CreateTempSubdirectory("dplaned-bundle-").FullName;
        var hung = Script(dataDir, "journalctl", "sleep 30\n");
        await using var daemon = await DaemonFixture.StartAsync(dataDir: dataDir, settings: new Dictionary<string, string>
        {
            ["DPlaneOS:Zfs:SmartctlPath"] = "/nonexistent/dplaneos-smartctl",
            ["DPlaneOS:SupportBundle:JournalctlPath"] = hung,
            ["DPlaneOS:SupportBundle:CommandTimeout"] = "00:00:02",
        });

        using var response = await PostBundleAsync(daemon.Client(daemon.Token));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var archive = await BundleArchive.ReadAsync(await response.Content.ReadAsStreamAsync());

        Assert.Contains("cannot start '/nonexistent/dplaneos-smartctl'", archive.File("smart/scan.json.error.txt").Text);
        Assert.Null(archive.FindFile("smart/scan.json"));
        Assert.Contains("TimedOut: no answer within 2 s; killed", archive.File("logs/dplaned-journal.txt.error.txt").Text);
        var entries = archive.Manifest.GetProperty("entries").EnumerateArray().ToDictionary(e => e.GetProperty("name").GetString()!);
        Assert.StartsWith("NotFound: ", entries["smart/scan.json.error.txt"].GetProperty("error").GetString());
        Assert.StartsWith("TimedOut: ", entries["logs/dplaned-journal.txt.error.txt"].GetProperty("error").GetString());
        Assert.Equal($"{hung} -u dplaned -n 2000 --no-pager", entries["logs/dplaned-journal.txt.error.txt"].GetProperty("command").GetString());
        Assert.InRange(entries["logs/dplaned-journal.txt.error.txt"].GetProperty("durationMs").GetInt64(), 1500, 15_000);
        Assert.True(archive.FindFile("zfs/zpool-status.txt") is not null || archive.FindFile("zfs/zpool-status.txt.error.txt") is not null);
    }

    [Fact]
    public async Task The_first_entries_arrive_while_a_slow_command_is_still_running_and_a_second_bundle_waits_its_turn()
    {
        var dataDir = Directory.CreateTempSubdirectory("dplaned-bundle-").FullName;
        var finished = Path.Combine(dataDir, "journal-finished");
        var slow = Script(dataDir, "journalctl", $"sleep 6\ntouch '{finished}'\necho done\n");
        await using var daemon = await DaemonFixture.StartAsync(dataDir: dataDir, settings: new Dictionary<string, string>
        {
            ["DPlaneOS:SupportBundle:JournalctlPath"] = slow,
        });
        Assert.Equal(HttpStatusCode.Unauthorized, (await daemon.Client().PostAsync("/api/system/support-bundle", null)).StatusCode);
        var client = daemon.Client(daemon.Token);

        using var response = await PostBundleAsync(client);
        Assert.True(response.Headers.TransferEncodingChunked);
        await using var body = await response.Content.ReadAsStreamAsync();
        await using var gzip = new System.IO.Compression.GZipStream(body, System.IO.Compression.CompressionMode.Decompress);
        await using var tar = new System.Formats.Tar.TarReader(gzip);
        var first = await tar.GetNextEntryAsync(copyData: true);
        Assert.EndsWith("/daemon/version.json", first!.Name);
        Assert.False(File.Exists(finished), "the first entry came only after the slow journal command had finished");

        using var second = await client.PostAsync("/api/system/support-bundle", null);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal("application/problem+json", second.Content.Headers.ContentType?.MediaType);

        var names = new List<string> { first.Name };
        string? journal = null;
        while (await tar.GetNextEntryAsync(copyData: true) is { } entry)
        {
            names.Add(entry.Name);
            if (entry.Name.EndsWith("/logs/dplaned-journal.txt", StringComparison.Ordinal))
                journal = await new StreamReader(entry.DataStream!).ReadToEndAsync();
        }
        Assert.Equal("done\n", journal);
        Assert.True(File.Exists(finished));
        Assert.EndsWith("/manifest.json", names[^1]);

        // The tar's end marker can reach us a moment before the server has finished the response
        // and freed the bundle slot; a real client (curl) returns only when the response has ended.
        await gzip.CopyToAsync(Stream.Null);
        await body.CopyToAsync(Stream.Null);
        using var third = await PostBundleAsync(client);
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
    }

    private static string CreateToken(string dataDir)
    {
        ApiTokenStore.OpenOrCreate(dataDir);
        return File.ReadAllText(Path.Combine(dataDir, ApiTokenStore.ClearTokenFileName)).Trim();
    }

    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static string Hex(string text) => Convert.ToHexStringLower(Encoding.UTF8.GetBytes(text));

    [GeneratedRegex(@"^dplaned-support-[A-Za-z0-9.-]+-[0-9]{8}T[0-9]{6}Z\.tar\.gz$")]
    private static partial Regex BundleFileName();
}
