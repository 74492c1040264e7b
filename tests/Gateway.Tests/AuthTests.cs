using DPlaneOS.TestSupport;

using System.Net;
using System.Text.Json;

namespace DPlaneOS.Gateway.Tests;

public sealed class AuthTests
{
    [Fact]
    public async Task Liveness_needs_no_token()
    {
        await using var daemon = await DaemonFixture.StartAsync(new FakeZpool());
        var response = await daemon.Client().GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("/api/zfs/health")]
    [InlineData("/api/zfs/iostat")]
    [InlineData("/api/zfs/events")]
    [InlineData("/api/zfs/capacity")]
    [InlineData("/openapi/v1.json")]
    [InlineData("/docs")]
    [InlineData("/api/no-such-route")]
    public async Task Every_other_route_answers_401_problem_json_without_a_token(string path)
    {
        await using var daemon = await DaemonFixture.StartAsync(new FakeZpool());
        var response = await daemon.Client().GetAsync(path);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(401, problem.GetProperty("status").GetInt32());
        Assert.Contains("Bearer", problem.GetProperty("detail").GetString());
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task A_wrong_token_is_refused_and_the_right_one_accepted()
    {
        await using var daemon = await DaemonFixture.StartAsync(new FakeZpool());
        var wrong = await daemon.Client(daemon.Token + "x").GetAsync("/api/zfs/health");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Contains("not valid", await wrong.Content.ReadAsStringAsync());

        var right = await daemon.Client(daemon.Token).GetAsync("/api/zfs/health");
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
    }

    [Fact]
    public async Task Query_string_token_is_only_for_websocket_handshakes()
    {
        await using var daemon = await DaemonFixture.StartAsync(new FakeZpool());
        var response = await daemon.Client().GetAsync($"/api/zfs/health?access_token={daemon.Token}");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task First_start_writes_the_clear_token_once_0600_and_keeps_only_its_hash()
    {
        var dataDir = Path.Combine(Directory.CreateTempSubdirectory("dplaned-token-").FullName, "new-data-dir");
        string token;
        await using (var daemon = await DaemonFixture.StartAsync(new FakeZpool(), dataDir))
        {
            token = daemon.Token;
            Assert.StartsWith("dpl_", token);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(dataDir));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(dataDir, "api-token")));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(dataDir, "api-tokens.json")));
            Assert.DoesNotContain(token, await File.ReadAllTextAsync(Path.Combine(dataDir, "api-tokens.json")));
        }

        // The admin removes the clear file after reading it; a restart must neither recreate it nor change the token.
        File.Delete(Path.Combine(dataDir, "api-token"));
        await using (var restarted = await DaemonFixture.StartAsync(new FakeZpool(), dataDir))
        {
            Assert.False(File.Exists(Path.Combine(dataDir, "api-token")));
            var response = await restarted.Client(token).GetAsync("/api/zfs/capacity");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }
}
