using CsCheck;
using DPlaneOS.Actors.Fleet.Membership;
using static DPlaneOS.Actors.Fleet.Membership.FleetMembershipInput;

namespace DPlaneOS.Actors.Tests.Fleet;

/// <summary>
/// Random fleets of three nodes that die, come back, leave, and whose watcher (a cluster singleton) is handed
/// over to a fresh one that reads the replicated raised set. Each node's alerts alternate raise / resolve, so
/// a silence is raised exactly once across hand-overs; and at the end every silent node is raised and no other.
/// </summary>
public sealed class FleetMembershipStatePropertyTests
{
    private static readonly string[] Nodes = ["n0", "n1", "n2"];

    private enum Kind { Die, Down, Return, Leave, HandOver }

    private enum Truth { Up, Silent, Downed, Left }

    private sealed record Step(Kind Kind, int Node, bool LoadFirst);

    private static readonly Gen<Step[]> Histories =
        Gen.Select(Gen.Enum<Kind>(), Gen.Int[0, 2], Gen.Bool, (kind, node, loadFirst) => new Step(kind, node, loadFirst)).Array[1, 60];

    private sealed class World
    {
        public Dictionary<string, Truth> Truth { get; } = Nodes.ToDictionary(n => n, _ => FleetMembershipStatePropertyTests.Truth.Up);
        public HashSet<string> Replicated { get; } = [];
        public Dictionary<string, List<FleetMembershipEffect>> History { get; } = Nodes.ToDictionary(n => n, _ => new List<FleetMembershipEffect>());
        public FleetMembershipState Watcher { get; set; } = FleetMembershipState.Empty;

        public void Deliver(FleetMembershipInput input)
        {
            var decision = Watcher.Decide(input);
            Watcher = decision.State;
            foreach (var effect in decision.Effects)
            {
                switch (effect)
                {
                    case FleetMembershipEffect.Raise raise:
                        Replicated.Add(raise.Node);
                        History[raise.Node].Add(effect);
                        break;
                    case FleetMembershipEffect.Resolve resolve:
                        Replicated.Remove(resolve.Node);
                        History[resolve.Node].Add(effect);
                        break;
                }
            }
        }

        /// <summary>A new singleton: the cluster snapshot (members only) and the replicated set, in either order.</summary>
        public void HandOver(bool loadFirst)
        {
            Watcher = FleetMembershipState.Empty;
            var raised = new HashSet<string>(Replicated);
            if (loadFirst) Deliver(new RaisedLoaded(raised));
            foreach (var (node, truth) in Truth)
            {
                if (truth == FleetMembershipStatePropertyTests.Truth.Up) Deliver(new NodeUp(node));
                if (truth == FleetMembershipStatePropertyTests.Truth.Silent) Deliver(new NodeUnreachable(node));
            }
            if (!loadFirst) Deliver(new RaisedLoaded(raised));
        }
    }

    [Fact]
    public void Each_silence_is_raised_once_and_resolved_once_across_hand_overs() =>
        Histories.Sample(steps =>
        {
            var world = new World();
            world.HandOver(loadFirst: true);
            foreach (var step in steps)
            {
                var node = Nodes[step.Node];
                var truth = world.Truth[node];
                switch (step.Kind)
                {
                    case Kind.Die when truth == Truth.Up:
                        world.Truth[node] = Truth.Silent;
                        world.Deliver(new NodeUnreachable(node));
                        break;
                    case Kind.Down when truth == Truth.Silent:
                        world.Truth[node] = Truth.Downed;
                        world.Deliver(new NodeRemoved(node, Left: false));
                        break;
                    case Kind.Return when truth is Truth.Silent or Truth.Downed or Truth.Left:
                        world.Truth[node] = Truth.Up;
                        world.Deliver(truth == Truth.Silent ? new NodeReachable(node) : new NodeUp(node));
                        break;
                    case Kind.Leave when truth == Truth.Up:
                        world.Truth[node] = Truth.Left;
                        world.Deliver(new NodeRemoved(node, Left: true));
                        break;
                    case Kind.HandOver:
                        world.HandOver(step.LoadFirst);
                        break;
                }
            }

            foreach (var (node, effects) in world.History)
            {
                for (var i = 0; i < effects.Count; i++)
                {
                    var expected = i % 2 == 0 ? typeof(FleetMembershipEffect.Raise) : typeof(FleetMembershipEffect.Resolve);
                    if (effects[i].GetType() != expected)
                        throw new InvalidOperationException($"{node}: effect {i} is {effects[i]}, expected {expected.Name}: {string.Join(", ", effects)}");
                }
            }
            var silent = world.Truth.Where(t => t.Value is Truth.Silent or Truth.Downed).Select(t => t.Key).ToHashSet();
            if (!silent.SetEquals(world.Replicated))
                throw new InvalidOperationException($"silent {string.Join(",", silent)} but raised {string.Join(",", world.Replicated)}");
        }, iter: 2000);
}
