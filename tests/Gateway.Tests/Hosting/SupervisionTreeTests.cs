using Akka.Hosting;
using DPlaneOS.Actors.Alerts;
using DPlaneOS.Actors.Audit;
using DPlaneOS.Actors.Node;
using DPlaneOS.Actors.Storage;
using DPlaneOS.Actors.Storage.Capacity;
using DPlaneOS.Actors.Storage.Docker;
using DPlaneOS.Actors.Storage.Health;
using DPlaneOS.Actors.Storage.Pools;
using DPlaneOS.Actors.Watch;
using DPlaneOS.TestSupport;

namespace DPlaneOS.Gateway.Tests.Hosting;

/// <summary>
/// The composition root registers every actor it starts under its own type, at its place in the tree:
/// a route asks the actor that answers (<c>IRequiredActor&lt;PoolManager&gt;</c>), with no forwarder between.
/// </summary>
public sealed class SupervisionTreeTests
{
    [Fact]
    public async Task Each_actor_is_registered_under_its_own_type_at_its_tree_path()
    {
        await using var daemon = await DaemonFixture.StartAsync(new FakeZpool());
        var registry = daemon.App.Services.GetRequiredService<ActorRegistry>();

        async Task<string> PathOf<T>() => (await registry.GetAsync<T>(CancellationToken.None)).Path.ToStringWithoutAddress();

        Assert.Equal("/user/alerts", await PathOf<AlertsSupervisor>());
        Assert.Equal("/user/storage", await PathOf<StorageSupervisor>());
        Assert.Equal("/user/storage/health", await PathOf<ZfsHealthActor>());
        Assert.Equal("/user/storage/capacity", await PathOf<CapacityGuardian>());
        Assert.Equal("/user/storage/docker", await PathOf<DockerGuard>());
        Assert.Equal("/user/storage/pools", await PathOf<PoolManager>());
        Assert.Equal("/user/lifecycle", await PathOf<NodeLifecycleActor>());
        Assert.Equal("/user/audit", await PathOf<AuditLog>());
        Assert.Equal("/user/watch", await PathOf<FileWatchActor>());
    }
}
