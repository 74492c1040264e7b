using CsCheck;
using DPlaneOS.Actors.Configuration;
using DPlaneOS.Actors.Fleet;

namespace DPlaneOS.Actors.Tests.Fleet;

public sealed class FleetRebuildPolicyTests
{
    private static readonly FleetOptions Options = new() { RebuildMinBackoff = TimeSpan.FromSeconds(1), RebuildMaxBackoff = TimeSpan.FromSeconds(30) };

    [Fact]
    public void Doubles_from_the_minimum_up_to_the_maximum()
    {
        Assert.Equal(
            [1, 2, 4, 8, 16, 30, 30],
            Enumerable.Range(1, 7).Select(n => FleetRebuildPolicy.Backoff(n, Options).TotalSeconds));
    }

    [Fact]
    public void A_member_incarnation_starts_the_count_anew()
    {
        Assert.Equal(1, FleetRebuildPolicy.NextFailureCount(7, wasMember: true));
        Assert.Equal(8, FleetRebuildPolicy.NextFailureCount(7, wasMember: false));
        Assert.Equal(1, FleetRebuildPolicy.NextFailureCount(0, wasMember: false));
    }

    [Fact]
    public void Any_run_of_ends_waits_within_the_bounds_and_never_less_than_before() =>
        Gen.Select(Gen.Int[1, 10_000], Gen.Int[1, 60_000], Gen.Bool.Array[1, 100])
            .Sample((minMs, extraMs, ends) =>
            {
                var options = new FleetOptions
                {
                    RebuildMinBackoff = TimeSpan.FromMilliseconds(minMs),
                    RebuildMaxBackoff = TimeSpan.FromMilliseconds(minMs + extraMs),
                };
                var failures = 0;
                var previous = TimeSpan.Zero;
                foreach (var wasMember in ends)
                {
                    failures = FleetRebuildPolicy.NextFailureCount(failures, wasMember);
                    var wait = FleetRebuildPolicy.Backoff(failures, options);
                    if (wait < options.RebuildMinBackoff || wait > options.RebuildMaxBackoff)
                        return false;
                    if (!wasMember && wait < previous)
                        return false;
                    if (wasMember && wait != options.RebuildMinBackoff)
                        return false;
                    previous = wait;
                }
                return true;
            }, iter: 2000);
}
