using Akka.Actor;
using Akka.TestKit.Xunit2;
using DPlaneOS.Actors.Storage.Capacity;
using DPlaneOS.Actors.Configuration;
using DPlaneOS.Actors.Hosting;
using DPlaneOS.Actors.Storage.Health;
using DPlaneOS.TestSupport;
using DPlaneOS.Zfs.Health;
using DPlaneOS.Zfs.Smart;

namespace DPlaneOS.Actors.Tests.Storage.Health;

public sealed class ZfsHealthActorTests : TestKit
{
    private static DPlaneOSOptions FastOptions() => new()
    {
        Status = { RefreshInterval = TimeSpan.FromMilliseconds(50) },
        Smart = { RefreshInterval = TimeSpan.FromHours(1) },
    };

    private Props HealthProps(FakeZpool zpool, FakeSmartctl smartctl, string deviceRoot, DPlaneOSOptions? options = null) =>
        Props.Create(() => new ZfsHealthActor(
            new ZfsStatusReader(zpool, new DiskDeviceResolver(deviceRoot), TimeProvider.System),
            new SmartReader(smartctl, TimeProvider.System),
            options ?? FastOptions(),
            TimeProvider.System));

    private ZfsHealthView AwaitView(IActorRef actor, Func<ZfsHealthView, bool> done)
    {
        ZfsHealthView view = null!;
        AwaitAssert(() =>
        {
            actor.Tell(ZfsHealthActor.Protocol.GetView.Instance);
            view = ExpectMsg<ZfsHealthView>();
            Assert.True(done(view));
        }, TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(20));
        return view;
    }

    private static string DeviceRootWithDisks(params string[] byIdNames)
    {
        var root = Directory.CreateTempSubdirectory("dplaned-dev-").FullName;
        Directory.CreateDirectory(Path.Combine(root, "disk", "by-id"));
        foreach (var name in byIdNames) File.WriteAllText(Path.Combine(root, "disk", "by-id", name), "");
        return root;
    }

    [Fact]
    public void Reads_status_at_start_and_serves_it()
    {
        var actor = Sys.ActorOf(HealthProps(new FakeZpool(), new FakeSmartctl("smartctl-json-all-sat-hdd-healthy-wdc-wd181kryz.json"), DeviceRootWithDisks()));
        var view = AwaitView(actor, v => v.Health.LastRefresh is not null);
        Assert.Equal("tank", view.Health.Pools.Single().Name);
        Assert.Equal(250L * 1024 * 1024, view.LastReading!.List.Value.Single().Size);
        Assert.False(view.Events.Supported);
    }

    [Fact]
    public void Every_reading_is_published_on_the_event_stream_for_the_other_storage_actors()
    {
        Sys.EventStream.Subscribe(TestActor, typeof(CapacityGuardian.Protocol.StatusObserved));
        Sys.ActorOf(HealthProps(new FakeZpool(), new FakeSmartctl("smartctl-json-all-sat-hdd-healthy-wdc-wd181kryz.json"), DeviceRootWithDisks()));
        var first = ExpectMsg<CapacityGuardian.Protocol.StatusObserved>(TimeSpan.FromSeconds(5));
        Assert.Equal("tank", first.Reading.List.Value.Single().Name);
        // One per refresh (50 ms here).
        ExpectMsg<CapacityGuardian.Protocol.StatusObserved>(TimeSpan.FromSeconds(2));
    }

    [Fact]
    public void A_hung_zpool_is_never_asked_twice_and_the_last_view_stays_served()
    {
        var zpool = new FakeZpool();
        var actor = Sys.ActorOf(HealthProps(zpool, new FakeSmartctl("smartctl-json-all-sat-hdd-healthy-wdc-wd181kryz.json"), DeviceRootWithDisks()));
        AwaitView(actor, v => v.Health.LastRefresh is not null);

        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        zpool.StatusGate = gate;
        // A read already out when the gate closed may still finish; the one after it hangs.
        var callsWhileHung = zpool.StatusCalls + 1;
        AwaitCondition(() => zpool.StatusCalls == callsWhileHung);
        // Ten refresh intervals pass while the read hangs.
        ExpectNoMsg(TimeSpan.FromMilliseconds(500));
        Assert.Equal(callsWhileHung, zpool.StatusCalls);
        actor.Tell(ZfsHealthActor.Protocol.GetView.Instance);
        Assert.Equal("tank", ExpectMsg<ZfsHealthView>().Health.Pools.Single().Name);

        zpool.StatusGate = null;
        gate.SetResult();
        AwaitCondition(() => zpool.StatusCalls > callsWhileHung + 1);
    }

    [Fact]
    public void New_disks_get_smart_at_once_and_their_risk_shows()
    {
        var zpool = new FakeZpool { StatusText = ZfsFuseSamples.ByIdMirrorStatus };
        var smartctl = new FakeSmartctl("smartctl-json-a-ata-hdd-failing-reallocated-pending-usbjmicron.json");
        var root = DeviceRootWithDisks("ata-LAB_DISK_1", "ata-LAB_DISK_2");
        var actor = Sys.ActorOf(HealthProps(zpool, smartctl, root));

        var view = AwaitView(actor, v => v.Health.LastSmartRefresh is not null && v.Health.Pools.Count == 1);
        var disks = view.Health.Pools.Single().Disks;
        Assert.Equal([$"{root}/disk/by-id/ata-LAB_DISK_1", $"{root}/disk/by-id/ata-LAB_DISK_2"], disks.Select(d => d.Device));
        Assert.All(disks, d =>
        {
            Assert.True(d.Smart.Available);
            Assert.False(d.Smart.Passed);
            Assert.Equal(RiskLevel.Critical, d.Risk.Level);
            Assert.Contains(d.Risk.Reasons, r => r.Contains("ATA 5"));
        });
        Assert.Equal(RiskLevel.Critical, view.Health.Pools.Single().OverallRisk);
        // The SMART timer is an hour: further status refreshes must not read SMART again.
        var reads = smartctl.Reads.Count;
        ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        Assert.Equal(reads, smartctl.Reads.Count);
    }

    [Fact]
    public void A_crash_is_followed_by_a_restart_under_backoff_and_reading_goes_on()
    {
        var zpool = new FakeZpool();
        var supervised = Sys.ActorOf(Supervision.OnFailure(
            HealthProps(zpool, new FakeSmartctl("smartctl-json-all-sat-hdd-healthy-wdc-wd181kryz.json"), DeviceRootWithDisks()), "health", new SupervisionOptions()));
        AwaitView(supervised, v => v.Health.LastRefresh is not null);

        zpool.ThrowOnce = new InvalidOperationException("boom");
        AwaitCondition(() => zpool.ThrowOnce is null);
        var callsAfterCrash = zpool.StatusCalls;
        // Backoff starts at 1 s; the restarted actor reads again at once.
        AwaitCondition(() => zpool.StatusCalls > callsAfterCrash + 2, TimeSpan.FromSeconds(5));
        AwaitView(supervised, v => v.Health.Pools.Count == 1);
    }
}
