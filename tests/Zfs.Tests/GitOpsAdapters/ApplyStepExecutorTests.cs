using DPlaneOS.Zfs.GitOps;
using DPlaneOS.Zfs.GitOps.Planning;
using DPlaneOS.Zfs.GitOps.State;
using DPlaneOS.Zfs.GitOps.Apply;
using DPlaneOS.Zfs.GitOps.Live;
using DPlaneOS.Zfs.Host;
using DPlaneOS.Zfs.Tests.Host;

namespace DPlaneOS.Zfs.Tests.GitOpsAdapters;

public sealed class ApplyStepExecutorTests
{
    /// <summary>Answers each scoped read with the next state; the last one repeats. A null state hangs until cancelled.</summary>
    private sealed class SequenceReader(params LiveState?[] states) : ILiveStateReader
    {
        private int _reads;

        public int Reads => _reads;

        public Task<LiveState> ReadAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

        public async Task<LiveState> ReadForAsync(ResourceKind kind, string name, CancellationToken cancellationToken)
        {
            var state = states[Math.Min(Interlocked.Increment(ref _reads) - 1, states.Length - 1)];
            if (state is null) await Task.Delay(Timeout.Infinite, cancellationToken);
            return state!;
        }
    }

    private static readonly DesiredPool Tank = new("tank", VdevType.Mirror, ["/dev/disk/by-id/ata-A", "/dev/disk/by-id/ata-B"], null, new Dictionary<string, string>(), false);

    private static LiveState Datasets(params LiveDataset[] datasets) => new([], datasets, [], new HashSet<string>(), []);

    private static LiveDataset Ds(string name, params (string, string)[] properties) => new(name, 1000, properties.ToDictionary(p => p.Item1, p => p.Item2));

    private static DesiredState WithQuota(long quota) => new(1, [Tank], [new DesiredDataset("tank/a", QuotaBytes: quota)], []);

    private static (ApplyStepExecutor Executor, ScriptedRunner Runner, string Include) Executor(ILiveStateReader reader, Func<string, (int, string, string)>? answer = null,
        TimeSpan? timeout = null, PathPolicy? paths = null)
    {
        var runner = new ScriptedRunner(answer ?? (_ => (0, "", "")));
        var include = Path.Combine(Directory.CreateTempSubdirectory("dplaned-step-").FullName, "shares.conf");
        var shares = new SambaIncludeWriter(runner, new SambaIncludeSettings(include, "/lab/smb.conf"), TimeSpan.FromSeconds(5));
        return (new ApplyStepExecutor(runner, reader, shares, new HostTools(), timeout ?? TimeSpan.FromSeconds(10), paths ?? PathPolicy.Default), runner, include);
    }

    private static PlanItem Planned(DesiredState desired, LiveState live, string id) => PlanBuilder.Build(desired, live).Items.Single(i => i.Id == id);

    [Fact]
    public async Task Creates_a_missing_dataset_then_confirms_it_converged()
    {
        var desired = WithQuota(1024);
        var item = Planned(desired, Datasets(), "dataset:tank/a");
        var reader = new SequenceReader(Datasets(), Datasets(Ds("tank/a", ("quota", "1024"))));
        var (executor, runner, _) = Executor(reader);

        var outcome = await executor.ExecuteAsync(desired, item, CancellationToken.None);

        Assert.Equal(StepStatus.Done, outcome.Status);
        Assert.Equal(["zfs create -p -o quota=1024 -- tank/a"], outcome.CommandsRun);
        Assert.Equal(outcome.CommandsRun, runner.Calls);
        Assert.Equal(2, reader.Reads);
    }

    [Fact]
    public async Task An_object_already_in_the_desired_state_is_skipped_without_running_anything()
    {
        var desired = WithQuota(1024);
        var item = Planned(desired, Datasets(), "dataset:tank/a");
        var (executor, runner, _) = Executor(new SequenceReader(Datasets(Ds("tank/a", ("quota", "1024")))));

        var outcome = await executor.ExecuteAsync(desired, item, CancellationToken.None);

        Assert.Equal(StepStatus.Skipped, outcome.Status);
        Assert.Empty(runner.Calls);
    }

    [Fact]
    public async Task A_failing_command_fails_the_step_with_its_error()
    {
        var desired = WithQuota(1024);
        var item = Planned(desired, Datasets(Ds("tank/a", ("quota", "0"))), "dataset:tank/a");
        var (executor, _, _) = Executor(new SequenceReader(Datasets(Ds("tank/a", ("quota", "0")))), _ => (1, "", "cannot set property for 'tank/a': permission denied"));

        var outcome = await executor.ExecuteAsync(desired, item, CancellationToken.None);

        Assert.Equal(StepStatus.Failed, outcome.Status);
        Assert.Contains("permission denied", outcome.Message);
        Assert.Equal(["zfs set quota=1024 tank/a"], outcome.CommandsRun);
    }

    [Fact]
    public async Task A_command_that_succeeds_without_effect_is_reported_as_not_converged()
    {
        var desired = WithQuota(1024);
        var before = Datasets(Ds("tank/a", ("quota", "0")));
        var (executor, _, _) = Executor(new SequenceReader(before));
        var outcome = await executor.ExecuteAsync(desired, Planned(desired, before, "dataset:tank/a"), CancellationToken.None);
        Assert.Equal(StepStatus.Failed, outcome.Status);
        Assert.Contains("still not as state.yaml says", outcome.Message);
    }

    [Fact]
    public async Task A_busy_dataset_is_tried_again_and_every_try_is_listed()
    {
        var desired = new DesiredState(1, [Tank with { Prune = true }], [], []);
        var before = Datasets(new LiveDataset("tank/old", 0, new Dictionary<string, string>()));
        var calls = 0;
        var (executor, _, _) = Executor(new SequenceReader(before, Datasets()),
            _ => Interlocked.Increment(ref calls) == 1 ? (1, "", "cannot destroy 'tank/old': dataset is busy") : (0, "", ""));

        var outcome = await executor.ExecuteAsync(desired, Planned(desired, before, "dataset:tank/old"), CancellationToken.None);

        Assert.Equal(StepStatus.Done, outcome.Status);
        Assert.Equal(["zfs destroy -- tank/old", "zfs destroy -- tank/old"], outcome.CommandsRun);
    }

    [Fact]
    public async Task A_step_that_hangs_fails_at_its_deadline()
    {
        var desired = WithQuota(1024);
        var (executor, runner, _) = Executor(new SequenceReader([null]), timeout: TimeSpan.FromMilliseconds(200));
        var outcome = await executor.ExecuteAsync(desired, Planned(desired, Datasets(), "dataset:tank/a"), CancellationToken.None);
        Assert.Equal(StepStatus.Failed, outcome.Status);
        Assert.Contains("timed out", outcome.Message);
        Assert.Empty(runner.Calls);
    }

    [Theory]
    [InlineData("zpool", "destroy", "tank")]
    [InlineData("zpool", "export", "tank")]
    [InlineData("zfs", "destroy", "-r", "tank/a")]
    [InlineData("zfs", "destroy", "-r", "--", "tank/a")]
    [InlineData("zfs", "destroy", "--", "-r")]
    [InlineData("rm", "-rf", "/tank")]
    public void Pool_destroys_recursive_destroys_and_other_programs_are_refused(params string[] command)
    {
        Assert.NotNull(ApplyStepExecutor.Refusal(command));
    }

    [Fact]
    public void Plain_zfs_and_zpool_changes_are_allowed()
    {
        Assert.Null(ApplyStepExecutor.Refusal(["zfs", "destroy", "--", "tank/a"]));
        Assert.Null(ApplyStepExecutor.Refusal(["zpool", "create", "--", "tank", "mirror", "/dev/disk/by-id/a", "/dev/disk/by-id/b"]));
    }

    [Theory]
    [InlineData("/etc", null)]
    [InlineData("/var", null)]
    [InlineData("/srv/dplaneos/db", "/srv/dplaneos")]
    public async Task A_refused_mountpoint_never_reaches_zfs_even_when_the_plan_holds_it(string mountpoint, string? dataDir)
    {
        // The parser refuses these; apply checks again, so a plan built from anything else cannot mount over the system.
        var desired = new DesiredState(1, [Tank], [new DesiredDataset("tank/a", Mountpoint: mountpoint), new DesiredDataset("tank/b", Mountpoint: mountpoint)], []);
        var live = Datasets(Ds("tank/b", ("mountpoint", "/tank/b")));
        var paths = PathPolicy.Create([], dataDir);
        foreach (var id in new[] { "dataset:tank/a", "dataset:tank/b" })
        {
            var (executor, runner, _) = Executor(new SequenceReader(live), paths: paths);
            var outcome = await executor.ExecuteAsync(desired, Planned(desired, live, id), CancellationToken.None);
            Assert.Equal(StepStatus.Failed, outcome.Status);
            Assert.Contains($"mountpoint '{mountpoint}' is refused", outcome.Message);
            Assert.Empty(runner.Calls);
        }
    }

    [Fact]
    public async Task A_refused_share_path_is_never_written_to_the_include_file()
    {
        var share = new SmbShare("keys", "/var/lib/dplaneos", false, [], "", true);
        var desired = new DesiredState(1, [], [], [share]);
        var (executor, runner, include) = Executor(new SequenceReader(LiveState.Empty));
        await File.WriteAllTextAsync(include, "[other]\n\tpath = /other\n");

        var outcome = await executor.ExecuteAsync(desired, Planned(desired, LiveState.Empty, "share:keys"), CancellationToken.None);

        Assert.Equal(StepStatus.Failed, outcome.Status);
        Assert.Contains("share path '/var/lib/dplaneos' is refused", outcome.Message);
        Assert.Empty(runner.Calls);
        Assert.Equal("[other]\n\tpath = /other\n", await File.ReadAllTextAsync(include));
    }

    [Fact]
    public async Task A_share_is_written_after_testparm_accepts_it_and_smbd_is_told_to_reload()
    {
        var share = new SmbShare("media", "/tank/media", false, [], "Media", true);
        var desired = new DesiredState(1, [], [], [share]);
        var after = new LiveState([], [], [share], new HashSet<string>(), []);
        var (executor, runner, include) = Executor(new SequenceReader(LiveState.Empty, after));
        await File.WriteAllTextAsync(include, "[other]\n\tpath = /other\n");

        var outcome = await executor.ExecuteAsync(desired, Planned(desired, LiveState.Empty, "share:media"), CancellationToken.None);

        Assert.Equal(StepStatus.Done, outcome.Status);
        Assert.StartsWith("testparm -s ", runner.Calls[0]);
        Assert.Equal("smbcontrol -s /lab/smb.conf smbd reload-config", runner.Calls[1]);
        var written = SambaShareFile.Parse(await File.ReadAllTextAsync(include)).Value;
        Assert.Equal(["other", "media"], written.Select(s => s.Name));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(include)!, "*.tmp"));
    }

    [Fact]
    public async Task A_share_file_testparm_rejects_is_never_swapped_in()
    {
        var share = new SmbShare("media", "/tank/media", false, [], "", false);
        var desired = new DesiredState(1, [], [], [share]);
        var (executor, runner, include) = Executor(new SequenceReader(LiveState.Empty),
            line => line.StartsWith("testparm", StringComparison.Ordinal) ? (1, "", "Load smb config files from x\nError loading services.") : (0, "", ""));
        await File.WriteAllTextAsync(include, "[other]\n\tpath = /other\n");

        var outcome = await executor.ExecuteAsync(desired, Planned(desired, LiveState.Empty, "share:media"), CancellationToken.None);

        Assert.Equal(StepStatus.Failed, outcome.Status);
        Assert.Contains("Error loading services", outcome.Message);
        Assert.Equal("[other]\n\tpath = /other\n", await File.ReadAllTextAsync(include));
        Assert.DoesNotContain(runner.Calls, c => c.StartsWith("smbcontrol", StringComparison.Ordinal));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(include)!, "*.tmp"));
    }
}
