using DPlaneOS.Zfs.Host;

namespace DPlaneOS.Zfs.Tests.Host;

public sealed class CommandRunnerTests
{
    private readonly CommandRunner _runner = new();

    [Fact]
    public async Task Arguments_reach_the_program_verbatim_without_a_shell()
    {
        var result = await _runner.RunAsync(["printf", "%s|", "a b", "$(id)", "; rm -rf /", "*"], TimeSpan.FromSeconds(10));
        Assert.True(result.IsOk);
        Assert.Equal(0, result.Value.ExitCode);
        Assert.Equal("a b|$(id)|; rm -rf /|*|", result.Value.StandardOutput);
    }

    [Fact]
    public async Task Non_zero_exit_and_stderr_are_returned_as_data()
    {
        var result = await _runner.RunAsync(["sh", "-c", "echo out; echo err >&2; exit 3"], TimeSpan.FromSeconds(10));
        Assert.True(result.IsOk);
        Assert.Equal(3, result.Value.ExitCode);
        Assert.False(result.Value.Succeeded);
        Assert.Equal("out\n", result.Value.StandardOutput);
        Assert.Equal("err\n", result.Value.StandardError);
    }

    [Fact]
    public async Task Locale_and_time_zone_are_fixed_so_outputs_parse_the_same_everywhere()
    {
        var result = await _runner.RunAsync(["sh", "-c", "echo $LANG $LC_ALL $TZ"], TimeSpan.FromSeconds(10));
        Assert.Equal("C C UTC\n", result.Value.StandardOutput);
    }

    [Fact]
    public async Task A_command_past_its_deadline_is_killed_and_reported_as_timed_out()
    {
        var started = DateTime.UtcNow;
        var result = await _runner.RunAsync(["sleep", "30"], TimeSpan.FromMilliseconds(300));
        Assert.False(result.IsOk);
        Assert.Equal(CommandErrorKind.TimedOut, result.Error.Kind);
        Assert.Equal("sleep 30", result.Error.CommandLine);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Cancellation_is_reported_as_cancelled()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var result = await _runner.RunAsync(["sleep", "30"], TimeSpan.FromSeconds(30), cts.Token);
        Assert.Equal(CommandErrorKind.Cancelled, result.Error!.Kind);
    }

    [Fact]
    public async Task A_missing_program_is_not_found_not_an_exception()
    {
        var result = await _runner.RunAsync(["dplaneos-no-such-tool", "x"], TimeSpan.FromSeconds(5));
        Assert.Equal(CommandErrorKind.NotFound, result.Error!.Kind);
        Assert.Contains("dplaneos-no-such-tool", result.Error.Message);
    }

    [Fact]
    public async Task Output_beyond_the_capture_limit_is_read_and_dropped()
    {
        var result = await new CommandRunner(maxCapturedChars: 1000).RunAsync(["sh", "-c", "head -c 5000000 /dev/zero | tr '\\0' a"], TimeSpan.FromSeconds(20));
        Assert.Equal(0, result.Value.ExitCode);
        Assert.Equal(new string('a', 1000), result.Value.StandardOutput);
    }
}
