using System.Diagnostics;
using System.Net;
using DPlaneOS.Gateway.Auth;
using DPlaneOS.Gateway.Cli;
using DPlaneOS.TestSupport;

namespace DPlaneOS.Gateway.Tests.Auth;

/// <summary><c>dplaned token create|list|revoke</c> against the data dir of a running daemon.</summary>
public sealed class TokenVerbTests
{
    private static (int Exit, string Output, string Error) Run(params string[] args)
    {
        var commandLine = CommandLine.Parse(args, out var parseError);
        Assert.Null(parseError);
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = TokenVerb.Run(commandLine, output, error, TimeProvider.System);
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task A_token_the_cli_creates_works_at_the_running_daemon_within_a_second_and_stops_when_revoked()
    {
        await using var daemon = await DaemonFixture.StartAsync(new FakeZpool());
        var (exit, output, error) = Run("--data-dir", daemon.DataDir, "token", "create", "--name", "prometheus", "--role", "read", "--expires", "2099-01-01");
        Assert.True(exit == VerbExit.Ok, error);
        var token = output.Trim().Split('\n')[^1];
        Assert.StartsWith("dpl_", token);
        Assert.Contains("created token 'prometheus' (read, expires 2099-01-01T00:00:00.0000000+00:00)", output);

        var client = daemon.Client(token);
        Assert.True(await WithinASecond(async () => (await client.GetAsync("/api/zfs/health")).StatusCode == HttpStatusCode.OK));
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsync("/api/system/support-bundle", null)).StatusCode);

        var list = Run("token", "list", "--data-dir", daemon.DataDir);
        Assert.Equal(VerbExit.Ok, list.Exit);
        Assert.Contains("prometheus\tread\t", list.Output);
        Assert.Contains("admin\tadmin\t", list.Output);
        Assert.DoesNotContain(token, list.Output);

        Assert.Equal(VerbExit.Ok, Run("token", "revoke", "prometheus", "--data-dir", daemon.DataDir).Exit);
        Assert.True(await WithinASecond(async () => (await client.GetAsync("/api/zfs/health")).StatusCode == HttpStatusCode.Unauthorized));
    }

    [Fact]
    public void Refusals_and_bad_arguments_have_their_exit_codes_and_change_nothing()
    {
        var dataDir = Directory.CreateTempSubdirectory("dplaned-tokens-").FullName;
        Assert.Equal(VerbExit.Refused, Run("token", "list", "--data-dir", dataDir).Exit);
        ApiTokenStore.OpenOrCreate(dataDir);
        var hashFile = Path.Combine(dataDir, ApiTokenStore.HashFileName);
        var before = File.ReadAllBytes(hashFile);

        var badRole = Run("token", "create", "--name", "x", "--role", "root", "--data-dir", dataDir);
        Assert.Equal(VerbExit.BadInput, badRole.Exit);
        Assert.Contains("roles are read, operator, admin", badRole.Error);
        Assert.Equal(VerbExit.BadInput, Run("token", "create", "--role", "read", "--data-dir", dataDir).Exit);
        Assert.Equal(VerbExit.BadInput, Run("token", "create", "--name", "x", "--role", "read", "--expires", "2001-01-01", "--data-dir", dataDir).Exit);
        Assert.Equal(VerbExit.BadInput, Run("token", "revoke", "--data-dir", dataDir).Exit);
        Assert.Equal(VerbExit.Refused, Run("token", "revoke", "nobody", "--data-dir", dataDir).Exit);
        var last = Run("token", "revoke", "admin", "--data-dir", dataDir);
        Assert.Equal(VerbExit.Refused, last.Exit);
        Assert.Contains("last admin token", last.Error);
        Assert.Equal(before, File.ReadAllBytes(hashFile));
    }

    [Theory]
    [InlineData("token", "create", "--urls", "http://127.0.0.1:1")]
    [InlineData("--urls", "http://127.0.0.1:1", "token", "list")]
    [InlineData("token", "rotate")]
    public void Options_that_do_not_apply_and_unknown_token_verbs_are_refused_by_the_parser(params string[] args)
    {
        var commandLine = CommandLine.Parse(args, out var error);
        if (error is null)
        {
            using var output = new StringWriter();
            using var errors = new StringWriter();
            Assert.Equal(VerbExit.BadInput, TokenVerb.Run(commandLine, output, errors, TimeProvider.System));
        }
    }

    private static async Task<bool> WithinASecond(Func<Task<bool>> condition)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(1))
        {
            if (await condition()) return true;
            await Task.Delay(20);
        }
        return await condition();
    }
}
