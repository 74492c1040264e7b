using DPlaneOS.Actors.Events;
using DPlaneOS.Gateway.WebSockets;

namespace DPlaneOS.Gateway.Tests;

public sealed class EventTypeFilterTests
{
    [Theory]
    [InlineData(null, "pool.degraded", true)]
    [InlineData("", "anything", true)]
    [InlineData("pool.*", "pool.degraded", true)]
    [InlineData("pool.*", "pool", false)]
    [InlineData("pool.*", "capacity.warning", false)]
    [InlineData("pool.*,capacity.*", "capacity.warning", true)]
    [InlineData(" pool.degraded , gitops.drift ", "gitops.drift", true)]
    [InlineData("*.critical", "capacity.critical", true)]
    [InlineData("pool.degraded", "pool.degraded.extra", false)]
    [InlineData("POOL.*", "pool.failed", true)]
    [InlineData("*", "x", true)]
    public void Patterns_match_whole_types_with_star_wildcards(string? text, string type, bool matches)
    {
        Assert.Null(EventTypePattern.TryParse(text, MonitorSocketRoutes.MaxTypePatterns, out var filter));
        Assert.Equal(matches, filter.Matches(type));
    }

    [Theory]
    [InlineData("pool.?", "'?'")]
    [InlineData("pool.*,a b", "' '")]
    [InlineData("pool/x", "'/'")]
    public void Other_characters_are_refused_with_the_reason(string text, string named)
    {
        var error = EventTypePattern.TryParse(text, MonitorSocketRoutes.MaxTypePatterns, out var filter);
        Assert.NotNull(error);
        Assert.Contains(named, error);
        Assert.Same(EventTypePattern.All, filter);
    }

    [Fact]
    public void Too_many_or_too_long_patterns_are_refused()
    {
        Assert.Contains("at most", EventTypePattern.TryParse(string.Join(',', Enumerable.Repeat("a", MonitorSocketRoutes.MaxTypePatterns + 1)), MonitorSocketRoutes.MaxTypePatterns, out _));
        Assert.Contains("longer", EventTypePattern.TryParse(new string('a', EventTypePattern.MaxLength + 1), MonitorSocketRoutes.MaxTypePatterns, out _));
    }
}
