using DPlaneOS.Actors.Events;

namespace DPlaneOS.Actors.Tests.Events;

/// <summary>The one event-type matcher, as the audit chain, webhooks and the WebSocket filter use it
/// (that webhooks refuse a pattern in the same words: WebhookRequestTests).</summary>
public sealed class EventTypePatternTests
{
    [Theory]
    [InlineData("pool.degraded", "pool.degraded", true)]
    [InlineData("pool.degraded", "pool.degraded.extra", false)]
    [InlineData("pool.degraded", "pool.degrade", false)]
    [InlineData("pool.*", "pool.degraded", true)]
    [InlineData("pool.*", "pool.scrub.error", true)]
    [InlineData("pool.*", "pool", false)]
    [InlineData("pool.*", "pools.degraded", false)]
    [InlineData("gitops.apply.*", "gitops.apply.started", true)]
    [InlineData("gitops.apply.*", "gitops.apply.failed", true)]
    [InlineData("gitops.apply.*", "gitops.applyx", false)]
    [InlineData("gitops.apply.*", "gitops.drift", false)]
    [InlineData("*", "anything.at.all", true)]
    [InlineData("*.critical", "capacity.critical", true)]
    [InlineData("*.critical", "capacity.critical.x", false)]
    public void A_pattern_matches_a_whole_type_and_a_star_any_run_of_characters(string pattern, string type, bool matches) =>
        Assert.Equal(matches, EventTypePattern.Matches(pattern, type));

    [Theory]
    [InlineData("POOL.*", "pool.failed")]
    [InlineData("Docker.Stopped", "docker.stopped")]
    [InlineData("pool.*", "Pool.Failed")]
    public void Case_never_decides_a_match(string pattern, string type)
    {
        Assert.True(EventTypePattern.Matches(pattern, type));
        Assert.True(EventTypePattern.FromConfiguration([pattern]).Matches(type));
        Assert.Null(EventTypePattern.TryParse(pattern, 10, out var parsed));
        Assert.True(parsed.Matches(type));
    }

    [Fact]
    public void Patterns_are_trimmed_and_lower_cased_when_read()
    {
        Assert.Null(EventTypePattern.TryParse(" POOL.* , Gitops.Drift ", 10, out var parsed));
        Assert.Equal(["pool.*", "gitops.drift"], parsed.Patterns);
        Assert.Equal(["docker.stopped"], EventTypePattern.FromConfiguration([" Docker.Stopped ", " ", ""]).Patterns);
    }

    [Fact]
    public void An_empty_list_matches_nothing_and_an_empty_query_everything()
    {
        Assert.False(EventTypePattern.FromConfiguration([]).Matches("pool.failed"));
        Assert.Null(EventTypePattern.TryParse(" ", 10, out var parsed));
        Assert.Same(EventTypePattern.All, parsed);
        Assert.True(parsed.Matches("pool.failed"));
    }

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("pool..degraded", "has an empty segment (leading, trailing or double '.')")]
    [InlineData(".pool", "has an empty segment (leading, trailing or double '.')")]
    [InlineData("pool.", "has an empty segment (leading, trailing or double '.')")]
    [InlineData("pool degraded", "may hold only lower-case letters, digits, '.', '_', '-' and '*', not ' '")]
    [InlineData("pool.?", "may hold only lower-case letters, digits, '.', '_', '-' and '*', not '?'")]
    [InlineData("pool/x", "may hold only lower-case letters, digits, '.', '_', '-' and '*', not '/'")]
    [InlineData("Pool.*", "may hold only lower-case letters, digits, '.', '_', '-' and '*', not 'P'")]
    public void Invalid_patterns_are_refused_with_the_reason(string pattern, string problem)
    {
        Assert.Equal(problem, EventTypePattern.Check(pattern));
        Assert.Equal($"'{pattern}' {problem}", EventTypePattern.Error(pattern));
    }

    [Fact]
    public void A_long_pattern_is_shortened_in_its_error()
    {
        var pattern = new string('a', EventTypePattern.MaxLength + 1);
        Assert.Null(EventTypePattern.Check(pattern[..EventTypePattern.MaxLength]));
        Assert.Equal($"'{pattern[..20]}…' is longer than {EventTypePattern.MaxLength} characters", EventTypePattern.Error(pattern));
    }

    [Fact]
    public void Too_many_patterns_are_refused()
    {
        Assert.Null(EventTypePattern.CountError(3, 3));
        Assert.Equal("must list at most 3 patterns, got 4", EventTypePattern.TryParse("a,b,c,d", 3, out var parsed));
        Assert.Same(EventTypePattern.All, parsed);
    }
}
