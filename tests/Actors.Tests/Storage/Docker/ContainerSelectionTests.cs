using DPlaneOS.Actors.Configuration;
using DPlaneOS.Actors.Storage.Docker;

namespace DPlaneOS.Actors.Tests.Storage.Docker;

public sealed class ContainerSelectionTests
{
    [Theory]
    [InlineData("/tank", "/tank", true)]
    [InlineData("/tank/", "/tank", true)]
    [InlineData("/tank/apps/db", "/tank", true)]
    [InlineData("/tank/apps/db", "/tank/", true)]
    [InlineData("/tankette/db", "/tank", false)]
    [InlineData("/srv/tank", "/tank", false)]
    [InlineData("/anything", "/", true)]
    public void A_path_is_under_a_mountpoint_by_whole_components(string path, string mountpoint, bool under) =>
        Assert.Equal(under, ContainerSelection.IsUnder(path, mountpoint));

    [Fact]
    public void Pool_mode_takes_containers_with_any_mount_on_the_pool_all_mode_takes_every_one()
    {
        DockerContainer[] running =
        [
            new("a", "a", ["/etc/localtime", "/tank/a"]),
            new("b", "b", ["/srv/b"]),
            new("c", "c", []),
            new("d", "d", ["/var/lib/docker/volumes/x/_data", "/srv/apps/d"]),
        ];
        Assert.Equal(["a", "d"], ContainerSelection.Affected(running, DockerStopMode.Pool, ["/tank", "/srv/apps"]).Select(c => c.Id));
        Assert.Equal(["a", "b", "c", "d"], ContainerSelection.Affected(running, DockerStopMode.All, ["/tank"]).Select(c => c.Id));
        Assert.Empty(ContainerSelection.Affected(running, DockerStopMode.Pool, []));
    }
}
