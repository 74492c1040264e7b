using Akka.Actor;
using Akka.TestKit;
using DPlaneOS.Actors.Configuration;
using DPlaneOS.Actors.Events;
using DPlaneOS.Actors.Node;
using DPlaneOS.Actors.Storage.Capacity;
using DPlaneOS.Actors.Storage.Health;
using DPlaneOS.TestSupport;
using DPlaneOS.Zfs.Capacity;
using DPlaneOS.Zfs.Health;
using DPlaneOS.Zfs.Host;
using DPlaneOS.Zfs.Model;

namespace DPlaneOS.Actors.Tests.Capacity;

public sealed class CapacityGuardianTests : MonitorBusTestKit
{
    private const long Usable = 1_000_000_000;
    private readonly FakeZpool _zpool = new();
    private readonly FakeZfs _zfs = new FakeZfs().WithPool("tank", used: 500_000_000, available: 500_000_000);
    private readonly TestProbe _bus;

    public CapacityGuardianTests() => _bus = SubscribeToMonitorBus();

    private IActorRef Guardian(Action<CapacityOptions>? configure = null)
    {
        var options = new CapacityOptions();
        configure?.Invoke(options);
        return Sys.ActorOf(Props.Create(() => new CapacityGuardian(options, _zpool, _zfs, TimeProvider.System, NodeIdentity.Named(Environment.MachineName))));
    }

    /// <summary>What the health actor publishes after a read: tank at <paramref name="percent"/> of 1 GB.</summary>
    private CapacityGuardian.Protocol.StatusObserved Reading(int percent)
    {
        _zpool.ListText = $"tank\t1G\t{percent * 10}M\t{1000 - percent * 10}M\t{percent}%\tONLINE\n";
        var list = _zpool.ListAsync().Result;
        return new CapacityGuardian.Protocol.StatusObserved(new ZfsStatusReading(
            DateTimeOffset.UtcNow,
            HostResult<IReadOnlyList<PoolStatus>>.Ok([]),
            list,
            HostResult<IReadOnlyList<IostatEntry>>.Ok([]),
            HostResult<IReadOnlyList<ZpoolEvent>>.Ok([]),
            new Dictionary<string, DeviceResolution>()));
    }

    private CapacityReport Report(IActorRef guardian, Func<CapacityReport, bool> done)
    {
        CapacityReport report = null!;
        AwaitAssert(() =>
        {
            guardian.Tell(CapacityGuardian.Protocol.GetReport.Instance);
            report = ExpectMsg<CapacityReport>();
            Assert.True(done(report), $"report not there yet: {string.Join(", ", report.Pools)}");
        }, TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(20));
        return report;
    }

    private void ReserveHeld(IActorRef guardian)
    {
        guardian.Tell(new CapacityGuardian.Protocol.Reserve("tank"));
        Assert.True(ExpectMsg<ReserveOutcome>().Succeeded);
        ExpectEvent(_bus, "capacity.reserve-armed");
    }

    [Fact]
    public void Each_level_change_is_published_once_and_hovering_at_a_threshold_does_not_flap()
    {
        var guardian = Guardian();
        guardian.Tell(Reading(50));
        // The first reading states the level, ok included.
        var first = _bus.ExpectMsg<MonitorEvent>();
        Assert.Equal(("capacity.ok", Severity.Resolved, "tank"), (first.Type, first.Severity, first.Subject));
        Assert.Equal("unknown", first.Data["previousLevel"]);
        guardian.Tell(Reading(50));
        _bus.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        guardian.Tell(Reading(85));
        var warning = _bus.ExpectMsg<MonitorEvent>();
        Assert.Equal(("capacity.warning", Severity.Warning, "tank"), (warning.Type, warning.Severity, warning.Subject));
        Assert.Equal("85", warning.Data["percent"]);
        Assert.Equal("ok", warning.Data["previousLevel"]);
        Assert.Equal("80", warning.Data["threshold"]);

        foreach (var percent in new[] { 79, 80, 79, 78, 81 }) guardian.Tell(Reading(percent));
        _bus.ExpectNoMsg(TimeSpan.FromMilliseconds(300));

        guardian.Tell(Reading(91));
        Assert.Equal(("capacity.critical", Severity.Critical), Split(_bus.ExpectMsg<MonitorEvent>()));
        guardian.Tell(Reading(96));
        var emergency = _bus.ExpectMsg<MonitorEvent>();
        Assert.Equal(("capacity.emergency", Severity.Critical), Split(emergency));
        Assert.Equal("critical", emergency.Data["previousLevel"]);
        guardian.Tell(Reading(92));
        Assert.Equal(("capacity.critical", Severity.Critical), Split(_bus.ExpectMsg<MonitorEvent>()));
        guardian.Tell(Reading(60));
        var ok = _bus.ExpectMsg<MonitorEvent>();
        Assert.Equal(("capacity.ok", Severity.Resolved), Split(ok));
        Assert.Equal("critical", ok.Data["previousLevel"]);
        _bus.ExpectNoMsg(TimeSpan.FromMilliseconds(200));

        var report = Report(guardian, r => r.Pools.Count == 1);
        Assert.Equal((CapacityLevel.Ok, 60), (report.Pools[0].Level, report.Pools[0].Percent!.Value));
        Assert.Equal(ReserveState.None, Report(guardian, r => r.Pools[0].Reserve.State != ReserveState.Unknown).Pools[0].Reserve.State);
    }

    private static (string, Severity) Split(MonitorEvent e) => (e.Type, e.Severity);

    [Fact]
    public void At_emergency_the_reserve_is_released_automatically_once()
    {
        var guardian = Guardian();
        guardian.Tell(Reading(50));
        ReserveHeld(guardian);
        Assert.Equal("20000000", _zfs.Property("tank/dplane-reserved", "refreservation"));

        guardian.Tell(Reading(95));
        ExpectEvent(_bus, "capacity.emergency");
        var released = ExpectEvent(_bus, "capacity.reserve-released");
        Assert.Equal(Severity.Warning, released.Severity);
        Assert.Equal(("tank", "20000000", "true", "95"), (released.Data["pool"], released.Data["bytesFreed"], released.Data["automatic"], released.Data["percent"]));
        Assert.Equal("0", _zfs.Property("tank/dplane-reserved", "refreservation"));
        Assert.True(_zfs.Exists("tank/dplane-reserved"), "release must keep the dataset");

        foreach (var percent in new[] { 96, 97, 99, 95 }) guardian.Tell(Reading(percent));
        _bus.ExpectNoMsg(TimeSpan.FromMilliseconds(400));
        Assert.Single(_zfs.Mutations, m => m.StartsWith("set refreservation=none"));
        var report = Report(guardian, r => r.Pools[0].Reserve.State == ReserveState.Released);
        Assert.Equal(CapacityLevel.Emergency, report.Pools[0].Level);
    }

    [Fact]
    public async Task A_reserve_released_by_someone_else_is_not_released_again_in_a_loop()
    {
        var guardian = Guardian();
        guardian.Tell(Reading(50));
        ReserveHeld(guardian);
        // Another admin (or another daemon on the same pools) releases it behind the guardian's back.
        Assert.Null(await _zfs.SetAsync("tank/dplane-reserved", "refreservation", "none"));

        guardian.Tell(Reading(96));
        ExpectEvent(_bus, "capacity.emergency");
        // One attempt finds it released; the guardian then re-reads the reserves instead of retrying on stale state.
        Report(guardian, r => r.Pools[0].Reserve.State == ReserveState.Released);
        var settled = _zfs.DatasetLookups;
        await Task.Delay(300);
        Assert.Equal(settled, _zfs.DatasetLookups);

        // Later readings read the reserves (one lookup each at most) and attempt nothing.
        foreach (var percent in new[] { 97, 98 }) guardian.Tell(Reading(percent));
        _bus.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        Assert.InRange(_zfs.DatasetLookups - settled, 1, 2);
        Assert.Equal(ReserveState.Released, Report(guardian, _ => true).Pools[0].Reserve.State);
    }

    [Fact]
    public void After_recovery_to_ok_a_released_reserve_is_re_armed()
    {
        var guardian = Guardian();
        guardian.Tell(Reading(50));
        ReserveHeld(guardian);
        guardian.Tell(Reading(97));
        ExpectEvent(_bus, "capacity.reserve-released");

        guardian.Tell(Reading(79));
        Assert.Equal("emergency", ExpectEvent(_bus, "capacity.warning").Data["previousLevel"]);
        _bus.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        Assert.Equal("0", _zfs.Property("tank/dplane-reserved", "refreservation"));
        guardian.Tell(Reading(70));
        ExpectEvent(_bus, "capacity.ok");
        var armed = ExpectEvent(_bus, "capacity.reserve-armed");
        Assert.Equal(("true", "20000000"), (armed.Data["automatic"], armed.Data["bytes"]));
        Assert.Equal("20000000", _zfs.Property("tank/dplane-reserved", "refreservation"));
    }

    [Fact]
    public void A_fresh_guardian_that_first_sees_a_pool_at_ok_does_not_re_arm_a_released_reserve()
    {
        var before = Guardian();
        before.Tell(Reading(50));
        ReserveHeld(before);
        before.Tell(new CapacityGuardian.Protocol.Release("tank"));
        Assert.True(ExpectMsg<ReserveOutcome>().Succeeded);
        ExpectEvent(_bus, "capacity.reserve-released");
        Watch(before);
        Sys.Stop(before);
        ExpectTerminated(before);

        // A restart: the first reading states ok, which is not a recovery, so the manual release stands.
        var after = Guardian();
        after.Tell(Reading(50));
        var ok = ExpectEvent(_bus, "capacity.ok");
        Assert.Equal("unknown", ok.Data["previousLevel"]);
        Report(after, r => r.Pools.Count == 1 && r.Pools[0].Reserve.State == ReserveState.Released);
        after.Tell(Reading(50));
        _bus.ExpectNoMsg(TimeSpan.FromMilliseconds(400));
        Assert.Equal("0", _zfs.Property("tank/dplane-reserved", "refreservation"));
    }

    [Fact]
    public void Re_arming_can_be_switched_off_and_a_manual_release_at_ok_is_never_undone()
    {
        var guardian = Guardian(c => c.RearmOnRecovery = false);
        guardian.Tell(Reading(50));
        ReserveHeld(guardian);
        guardian.Tell(new CapacityGuardian.Protocol.Release("tank"));
        var released = ExpectMsg<ReserveOutcome>();
        Assert.True(released.Succeeded);
        Assert.Equal("false", ExpectEvent(_bus, "capacity.reserve-released").Data["automatic"]);

        foreach (var percent in new[] { 50, 97, 50 }) guardian.Tell(Reading(percent));
        ExpectEvent(_bus, "capacity.ok");
        _bus.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        Assert.Equal("0", _zfs.Property("tank/dplane-reserved", "refreservation"));
    }

    [Fact]
    public void Reserve_and_release_requests_are_answered_with_what_happened()
    {
        var guardian = Guardian();
        guardian.Tell(Reading(50));
        guardian.Tell(new CapacityGuardian.Protocol.Reserve("tank"));
        var reserved = ExpectMsg<ReserveOutcome>();
        Assert.Equal((ReserveOutcomeKind.Done, 20_000_000L, Usable), (reserved.Kind, reserved.Bytes!.Value, reserved.UsableBytes!.Value));
        Assert.Equal((ReserveState.Reserved, 20_000_000L), Bytes(Report(guardian, r => r.Pools[0].Reserve.State == ReserveState.Reserved)));

        guardian.Tell(new CapacityGuardian.Protocol.Reserve("tank"));
        Assert.Equal(ReserveOutcomeKind.AlreadyReserved, ExpectMsg<ReserveOutcome>().Kind);
        guardian.Tell(new CapacityGuardian.Protocol.Reserve("nosuchpool"));
        Assert.Equal(ReserveOutcomeKind.PoolNotFound, ExpectMsg<ReserveOutcome>().Kind);
        guardian.Tell(new CapacityGuardian.Protocol.Release("tank"));
        var released = ExpectMsg<ReserveOutcome>();
        Assert.Equal((ReserveOutcomeKind.Done, 20_000_000L), (released.Kind, released.Bytes!.Value));
        guardian.Tell(new CapacityGuardian.Protocol.Release("tank"));
        Assert.Equal(ReserveOutcomeKind.NotReserved, ExpectMsg<ReserveOutcome>().Kind);
        Assert.Equal(ReserveState.Released, Report(guardian, r => r.Pools[0].Reserve.State == ReserveState.Released).Pools[0].Reserve.State);
    }

    private static (ReserveState, long) Bytes(CapacityReport report) => (report.Pools[0].Reserve.State, report.Pools[0].Reserve.Bytes ?? -1);

    [Fact]
    public void A_reserve_on_a_pool_at_emergency_is_refused_without_touching_zfs()
    {
        var guardian = Guardian();
        guardian.Tell(Reading(96));
        ExpectEvent(_bus, "capacity.emergency");
        guardian.Tell(new CapacityGuardian.Protocol.Reserve("tank"));
        var refused = ExpectMsg<ReserveOutcome>();
        Assert.Equal(ReserveOutcomeKind.OutOfSpace, refused.Kind);
        Assert.Contains("emergency threshold 95", refused.Message);
        Assert.Empty(_zfs.Mutations);
    }

    [Fact]
    public void Changes_run_one_at_a_time_and_requests_meanwhile_wait()
    {
        var guardian = Guardian();
        guardian.Tell(Reading(50));
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _zfs.ChangeGate = gate;
        guardian.Tell(new CapacityGuardian.Protocol.Reserve("tank"));
        guardian.Tell(new CapacityGuardian.Protocol.Release("tank"));
        ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        Assert.Empty(_zfs.Mutations);

        _zfs.ChangeGate = null;
        gate.SetResult();
        Assert.Equal(ReserveOutcomeKind.Done, ExpectMsg<ReserveOutcome>().Kind);
        var released = ExpectMsg<ReserveOutcome>();
        Assert.Equal((ReserveOutcomeKind.Done, 20_000_000L), (released.Kind, released.Bytes!.Value));
        Assert.Equal(["create tank/dplane-reserved canmount=off refreservation=20000000", "set refreservation=none tank/dplane-reserved"], _zfs.Mutations);
    }

    [Fact]
    public void A_change_whose_task_faults_is_answered_as_failed_and_the_next_request_runs()
    {
        var guardian = Guardian();
        guardian.Tell(Reading(50));
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _zfs.ChangeGate = gate;
        guardian.Tell(new CapacityGuardian.Protocol.Reserve("tank"));
        guardian.Tell(new CapacityGuardian.Protocol.Reserve("tank"));
        gate.SetException(new IOException("the zfs process vanished"));

        // The first change throws; it is answered, and the request that waited for it runs (and throws too).
        foreach (var _ in new[] { 1, 2 })
        {
            var failed = ExpectMsg<ReserveOutcome>();
            Assert.Equal(ReserveOutcomeKind.Failed, failed.Kind);
            Assert.Contains("the zfs process vanished", failed.Message);
        }
        _zfs.ChangeGate = null;
        guardian.Tell(new CapacityGuardian.Protocol.Reserve("tank"));
        Assert.Equal(ReserveOutcomeKind.Done, ExpectMsg<ReserveOutcome>().Kind);
        ExpectEvent(_bus, CapacityEvents.ReserveArmed);
    }

    [Fact]
    public void A_failed_automatic_release_is_published_and_tried_again_at_the_next_reading()
    {
        var guardian = Guardian();
        guardian.Tell(Reading(50));
        ReserveHeld(guardian);
        _zfs.FailNextChange = new CommandError(CommandErrorKind.Failed, "zfs set refreservation=none tank/dplane-reserved", "exit 1: permission denied", 1);
        guardian.Tell(Reading(96));
        var failed = ExpectEvent(_bus, "capacity.reserve-release-failed");
        Assert.Equal(Severity.Critical, failed.Severity);
        Assert.Contains("permission denied", failed.Data["message"]);
        _bus.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        Assert.Equal("20000000", _zfs.Property("tank/dplane-reserved", "refreservation"));
        Assert.Single(_zfs.Mutations, m => m.StartsWith("set refreservation=none"));

        guardian.Tell(Reading(96));
        Assert.Equal("true", ExpectEvent(_bus, "capacity.reserve-released").Data["automatic"]);
        Assert.Equal("0", _zfs.Property("tank/dplane-reserved", "refreservation"));
    }

    [Fact]
    public void A_failed_zpool_list_changes_no_level_and_shows_as_the_error()
    {
        var guardian = Guardian();
        guardian.Tell(Reading(85));
        ExpectEvent(_bus, "capacity.warning");
        guardian.Tell(new CapacityGuardian.Protocol.StatusObserved(Reading(10).Reading with
        {
            List = HostResult<IReadOnlyList<ZpoolListEntry>>.Fail(new CommandError(CommandErrorKind.TimedOut, "zpool list", "killed after 30 s")),
        }));
        _bus.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        var report = Report(guardian, r => r.Error is not null);
        Assert.Contains("killed after 30 s", report.Error);
        Assert.Equal((CapacityLevel.Warning, 85), (report.Pools[0].Level, report.Pools[0].Percent!.Value));
    }

    [Fact]
    public void Readings_published_by_the_health_actor_reach_the_guardian()
    {
        var guardian = Guardian();
        AwaitAssert(() =>
        {
            Sys.EventStream.Publish(Reading(88));
            Assert.Equal(CapacityLevel.Warning, Report(guardian, _ => true).Pools.SingleOrDefault()?.Level);
        }, TimeSpan.FromSeconds(5));
    }
}
