using DPlaneOS.Zfs.Capacity;

namespace DPlaneOS.Zfs.Tests.Capacity;

public sealed class EmergencyReserveSizeTests
{
    [Fact]
    public void The_reserve_is_the_percent_of_usable_space_rounded_down()
    {
        // The lab pool of the fixtures: used 372736 + available 95047680.
        Assert.Equal(1908408, EmergencyReserve.SizeBytes(372736 + 95047680, 2));
        Assert.Equal(0, EmergencyReserve.SizeBytes(49, 2));
        Assert.Equal(1, EmergencyReserve.SizeBytes(50, 2));
        Assert.Equal(100, EmergencyReserve.SizeBytes(100, 100));
    }

    [Fact]
    public void Large_pools_are_sized_exactly()
    {
        // 1.5 PiB: a double would lose the last digits.
        const long usable = 1_688_849_860_263_936 + 7;
        Assert.Equal(33_776_997_205_278, EmergencyReserve.SizeBytes(usable, 2));
        Assert.Equal(42_221_246_506_598, EmergencyReserve.SizeBytes(usable, 2.5));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(100.5)]
    [InlineData(double.NaN)]
    public void A_percent_outside_0_to_100_is_refused(double percent) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => EmergencyReserve.SizeBytes(1000, percent));

    [Fact]
    public void The_dataset_is_named_under_the_pool() =>
        Assert.Equal("tank/dplane-reserved", EmergencyReserve.DatasetOf("tank"));
}
