using DPlaneOS.Actors.Configuration;

namespace DPlaneOS.Actors.Tests.Configuration;

public sealed class ZfsOptionsTests
{
    [Fact]
    public void Pool_names_are_accepted_and_an_empty_list_means_every_pool() =>
        new ZfsOptions { Pools = ["tank", "backup-2"] }.Validate();

    [Theory]
    [InlineData("mirror")]
    [InlineData("tank/data")]
    [InlineData("-tank")]
    [InlineData("")]
    public void A_pools_entry_that_is_not_a_pool_name_is_refused_naming_it(string pool)
    {
        var error = Assert.Throws<InvalidOperationException>(() => new ZfsOptions { Pools = ["tank", pool] }.Validate());
        Assert.StartsWith($"DPlaneOS:Zfs:Pools: '{pool}' is not a pool name: ", error.Message);
    }
}
