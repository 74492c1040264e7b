using DPlaneOS.Actors.Fleet.Membership;
using static DPlaneOS.Actors.Fleet.Membership.FleetMembershipInput;

namespace DPlaneOS.Actors.Tests.Fleet;

public sealed class FleetMembershipStateTests
{
    private static (FleetMembershipState State, List<FleetMembershipEffect> Effects) Run(FleetMembershipState state, params FleetMembershipInput[] inputs)
    {
        var effects = new List<FleetMembershipEffect>();
        foreach (var input in inputs)
        {
            var decision = state.Decide(input);
            state = decision.State;
            effects.AddRange(decision.Effects);
        }
        return (state, effects);
    }

    private static readonly FleetMembershipState Watching = Run(FleetMembershipState.Empty, new RaisedLoaded(new HashSet<string>())).State;

    [Fact]
    public void A_silent_node_is_raised_once_and_resolved_once_when_it_answers_again()
    {
        var (_, effects) = Run(Watching, new NodeUp("a"), new NodeUp("b"), new NodeUnreachable("b"), new NodeUnreachable("b"),
            new NodeReachable("b"), new NodeReachable("b"));
        Assert.Equal([new FleetMembershipEffect.Raise("b"), new FleetMembershipEffect.Resolve("b")], effects);
    }

    [Fact]
    public void A_downed_node_stays_raised_until_it_rejoins()
    {
        var (state, effects) = Run(Watching, new NodeUp("b"), new NodeUnreachable("b"), new NodeRemoved("b", Left: false));
        Assert.Equal([new FleetMembershipEffect.Raise("b")], effects);
        Assert.Contains("b", state.Raised);
        Assert.Equal([new FleetMembershipEffect.Resolve("b")], Run(state, new NodeUp("b")).Effects);
    }

    [Fact]
    public void A_node_that_leaves_on_purpose_is_not_silent_and_ends_a_raise()
    {
        Assert.Empty(Run(Watching, new NodeUp("b"), new NodeRemoved("b", Left: true)).Effects);
        var (_, effects) = Run(Watching, new NodeUp("b"), new NodeUnreachable("b"), new NodeRemoved("b", Left: true));
        Assert.Equal([new FleetMembershipEffect.Raise("b"), new FleetMembershipEffect.Resolve("b")], effects);
    }

    [Fact]
    public void Nothing_is_decided_before_the_replicated_raised_set_is_read_then_the_backlog_settles()
    {
        var (state, before) = Run(FleetMembershipState.Empty, new NodeUp("a"), new NodeUnreachable("b"), new NodeUnreachable("c"));
        Assert.Empty(before);
        // b was raised by the previous watcher: not again; c was not: now.
        var (_, after) = Run(state, new RaisedLoaded(new HashSet<string> { "b" }));
        Assert.Equal([new FleetMembershipEffect.Raise("c")], after);
    }

    [Fact]
    public void After_a_hand_over_a_raised_node_the_new_watcher_has_not_heard_of_stays_raised()
    {
        // The dead node was downed and removed before the hand-over, so the new watcher's snapshot does not list it.
        var (state, effects) = Run(FleetMembershipState.Empty, new RaisedLoaded(new HashSet<string> { "b" }), new NodeUp("a"));
        Assert.Empty(effects);
        Assert.Contains("b", state.Raised);
        Assert.Equal([new FleetMembershipEffect.Resolve("b")], Run(state, new NodeUp("b")).Effects);
    }
}
