using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using DPlaneOS.Gateway.Auth;

namespace DPlaneOS.Gateway.Tests.Auth;

public sealed class ApiTokenStoreTests
{
    private static string DataDir() => Directory.CreateTempSubdirectory("dplaned-tokens-").FullName;

    private static string AdminToken(string dataDir) => File.ReadAllText(Path.Combine(dataDir, ApiTokenStore.ClearTokenFileName)).Trim();

    [Fact]
    public void The_first_admin_token_is_an_admin_and_a_created_token_has_its_role()
    {
        var dataDir = DataDir();
        var store = ApiTokenStore.OpenOrCreate(dataDir);
        Assert.Equal(new AuthenticatedToken("admin", TokenRole.Admin), store.Authenticate(AdminToken(dataDir)));

        var created = store.Create("grafana", TokenRole.Read, null);
        Assert.True(created.Succeeded, created.Problem);
        Assert.StartsWith("dpl_", created.ClearToken);
        Assert.Equal(new AuthenticatedToken("grafana", TokenRole.Read), store.Authenticate(created.ClearToken!));
        Assert.DoesNotContain(created.ClearToken!, File.ReadAllText(Path.Combine(dataDir, ApiTokenStore.HashFileName)));
        Assert.Equal(["admin", "grafana"], store.List().Select(t => t.Name));
    }

    [Fact]
    public void A_token_file_from_before_roles_keeps_every_token_an_admin()
    {
        var dataDir = DataDir();
        ApiTokenStore.OpenOrCreate(dataDir);
        var hashFile = Path.Combine(dataDir, ApiTokenStore.HashFileName);
        var sha = JsonDocument.Parse(File.ReadAllText(hashFile)).RootElement[0].GetProperty("sha256").GetString();
        File.WriteAllText(hashFile, $$"""[{"name":"admin","sha256":"{{sha}}","created":"2026-01-01T00:00:00+00:00"}]""");

        var store = ApiTokenStore.OpenOrCreate(dataDir);
        Assert.Equal(TokenRole.Admin, store.Authenticate(AdminToken(dataDir))?.Role);
    }

    [Fact]
    public void An_expired_token_no_longer_authenticates_and_a_past_expiry_is_refused()
    {
        var dataDir = DataDir();
        var time = new SettableTime(DateTimeOffset.Parse("2026-12-01T00:00:00Z", CultureInfo.InvariantCulture));
        var store = ApiTokenStore.OpenOrCreate(dataDir, time);
        var created = store.Create("contractor", TokenRole.Operator, time.Now.AddDays(1));
        Assert.NotNull(store.Authenticate(created.ClearToken!));

        time.Now = time.Now.AddDays(1);
        Assert.Null(store.Authenticate(created.ClearToken!));

        var past = store.Create("late", TokenRole.Read, time.Now.AddSeconds(-1));
        Assert.Equal(TokenChange.Reason.BadInput, past.Refusal);
        Assert.DoesNotContain(store.List(), t => t.Name == "late");
    }

    [Theory]
    [InlineData("")]
    [InlineData("-dash")]
    [InlineData("has space")]
    [InlineData("semi;colon")]
    [InlineData("ünicode")]
    public void A_bad_name_is_refused_and_changes_nothing(string name)
    {
        var dataDir = DataDir();
        var store = ApiTokenStore.OpenOrCreate(dataDir);
        var before = File.ReadAllBytes(Path.Combine(dataDir, ApiTokenStore.HashFileName));
        Assert.Equal(TokenChange.Reason.BadInput, store.Create(name, TokenRole.Read, null).Refusal);
        Assert.Equal(before, File.ReadAllBytes(Path.Combine(dataDir, ApiTokenStore.HashFileName)));
    }

    [Fact]
    public void A_taken_name_an_unknown_name_and_the_last_admin_token_are_refused()
    {
        var store = ApiTokenStore.OpenOrCreate(DataDir());
        Assert.True(store.Create("ops", TokenRole.Operator, null).Succeeded);
        Assert.Equal(TokenChange.Reason.Conflict, store.Create("ops", TokenRole.Admin, null).Refusal);
        Assert.Equal(TokenChange.Reason.NotFound, store.Revoke("nobody").Refusal);

        var last = store.Revoke("admin");
        Assert.Equal(TokenChange.Reason.Conflict, last.Refusal);
        Assert.Contains("last admin token", last.Problem);

        Assert.True(store.Create("admin2", TokenRole.Admin, null).Succeeded);
        Assert.True(store.Revoke("admin").Succeeded);
        Assert.Equal(["admin2", "ops"], store.List().Select(t => t.Name));
    }

    [Fact]
    public async Task A_change_made_by_another_process_takes_effect_within_a_second()
    {
        var dataDir = DataDir();
        var daemon = ApiTokenStore.OpenOrCreate(dataDir);
        var admin = AdminToken(dataDir);
        Assert.NotNull(daemon.Authenticate(admin));

        // What the CLI does: its own store over the same files.
        var cli = ApiTokenStore.Open(dataDir);
        var created = cli.Create("backup", TokenRole.Read, null).ClearToken!;
        Assert.True(await WithinASecond(() => daemon.Authenticate(created) is not null), "a token the CLI created was not accepted within 1 s");

        Assert.True(cli.Create("admin2", TokenRole.Admin, null).Succeeded);
        Assert.True(cli.Revoke("backup").Succeeded);
        Assert.True(await WithinASecond(() => daemon.Authenticate(created) is null), "a token the CLI revoked was still accepted after 1 s");
        Assert.NotNull(daemon.Authenticate(admin));
    }

    [Fact]
    public void Two_writers_at_once_lose_neither_change()
    {
        var dataDir = DataDir();
        ApiTokenStore.OpenOrCreate(dataDir);
        var stores = Enumerable.Range(0, 4).Select(_ => ApiTokenStore.Open(dataDir)).ToList();
        Parallel.For(0, 40, i => Assert.True(stores[i % stores.Count].Create($"t{i}", TokenRole.Read, null).Succeeded));
        Assert.Equal(41, ApiTokenStore.Open(dataDir).List().Count);
    }

    [Fact]
    public async Task A_file_broken_while_running_keeps_the_last_good_tokens_and_says_so()
    {
        var dataDir = DataDir();
        var store = ApiTokenStore.OpenOrCreate(dataDir);
        var problems = new List<string>();
        store.ReloadFailed += problems.Add;
        File.WriteAllText(Path.Combine(dataDir, ApiTokenStore.HashFileName), "[{\"name\":");
        Assert.True(await WithinASecond(() =>
        {
            store.Authenticate("anything");
            lock (problems) return problems.Count > 0;
        }));
        Assert.Contains("not valid JSON", problems[0]);
        Assert.NotNull(store.Authenticate(AdminToken(dataDir)));
    }

    [Fact]
    public void The_cli_store_needs_a_token_file_the_daemon_made()
    {
        var refused = Assert.Throws<DPlaneOS.Gateway.Hosting.StartRefusedException>(() => ApiTokenStore.Open(DataDir()));
        Assert.Contains("start the daemon once", refused.Message);
    }

    /// <summary>Whether <paramref name="condition"/> holds within the one second the store promises (looked at every 20 ms).</summary>
    private static async Task<bool> WithinASecond(Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(1))
        {
            if (condition()) return true;
            await Task.Delay(20);
        }
        return condition();
    }

    private sealed class SettableTime(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
