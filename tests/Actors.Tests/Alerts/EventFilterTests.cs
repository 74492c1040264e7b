using DPlaneOS.Actors.Events;

namespace DPlaneOS.Actors.Tests.Alerts;

public sealed class EventFilterTests
{
    [Theory]
    [InlineData("*", "pool.degraded", true)]
    [InlineData("*", "x", true)]
    [InlineData("pool.*", "pool.degraded", true)]
    [InlineData("pool.*", "pool.scrub.error", true)]
    [InlineData("pool.*", "pool", false)]
    [InlineData("pool.*", "pools.degraded", false)]
    [InlineData("pool.*", "capacity.critical", false)]
    [InlineData("*.critical", "capacity.critical", true)]
    [InlineData("*.critical", "capacity.critical.x", false)]
    [InlineData("pool.degraded", "pool.degraded", true)]
    [InlineData("pool.degraded", "pool.degraded2", false)]
    [InlineData("pool.d*d", "pool.degraded", true)]
    [InlineData("pool.d*d", "pool.dead", true)]
    [InlineData("pool.d*d", "pool.degrade", false)]
    [InlineData("p*l.*", "pool.failed", true)]
    [InlineData("*a*a*", "banana", true)]
    [InlineData("*a*a*a*a*", "banana", false)]
    [InlineData("**", "", true)]
    [InlineData("pool.*", "", false)]
    public void Stars_stand_for_any_run_of_characters(string pattern, string type, bool expected) =>
        Assert.Equal(expected, EventTypePattern.Matches(pattern, type));

    [Fact]
    public void A_list_matches_when_any_pattern_does() =>
        Assert.True(EventTypePattern.MatchesAny(["disk.*", "pool.failed"], "pool.failed"));

    [Fact]
    public void An_empty_list_matches_nothing() => Assert.False(EventTypePattern.MatchesAny([], "pool.failed"));

    [Theory]
    [InlineData("pool.*", null)]
    [InlineData("*", null)]
    [InlineData("disk.smart_fail", null)]
    [InlineData("a-b.c", null)]
    [InlineData("", "is empty")]
    [InlineData("pool..degraded", "empty segment")]
    [InlineData(".pool", "empty segment")]
    [InlineData("pool.", "empty segment")]
    [InlineData("pool degraded", "may hold only")]
    [InlineData("pool.?", "may hold only")]
    [InlineData("Pool.*", "may hold only")]
    public void Patterns_are_checked(string pattern, string? problem)
    {
        var found = EventTypePattern.Check(pattern);
        if (problem is null) Assert.Null(found);
        else Assert.Contains(problem, found);
    }
}
