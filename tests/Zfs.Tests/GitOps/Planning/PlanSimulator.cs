using DPlaneOS.Zfs.GitOps;
using DPlaneOS.Zfs.GitOps.Live;
using DPlaneOS.Zfs.GitOps.Planning;
using DPlaneOS.Zfs.GitOps.State;

namespace DPlaneOS.Zfs.Tests.GitOps.Planning;

/// <summary>
/// Plays a plan's executable items (CREATE, MODIFY, DELETE) against a live model, the way the host
/// would: it interprets the argument arrays, so a wrong command shows up as a plan that never
/// converges. BLOCKED and NOP items are skipped, as apply does without approval.
/// </summary>
internal static class PlanSimulator
{
    public static LiveState Apply(Plan plan, LiveState live)
    {
        var pools = live.Pools.ToList();
        var datasets = live.Datasets.ToList();
        var shares = live.Shares.ToList();

        foreach (var item in plan.Items.Where(i => i.Action is PlanAction.Create or PlanAction.Modify or PlanAction.Delete))
        {
            if (item.Kind == ResourceKind.Share)
            {
                ApplyShare(item, shares);
                continue;
            }

            foreach (var command in item.Commands) Run(command, pools, datasets);
        }

        return live with { Pools = pools, Datasets = datasets, Shares = shares };
    }

    /// <summary>What <c>zfs get</c> reports for a new dataset's create-only properties when none were given.</summary>
    private static Dictionary<string, string> WithDefaults(Dictionary<string, string> options)
    {
        var props = new Dictionary<string, string> { ["encryption"] = "off", ["casesensitivity"] = "sensitive" };
        foreach (var (k, v) in options) props[k] = v;
        return props;
    }

    private static void Run(IReadOnlyList<string> cmd, List<LivePool> pools, List<LiveDataset> datasets)
    {
        var (options, args) = Split(cmd.Skip(2).ToList());
        switch (cmd[0], cmd[1])
        {
            case ("zpool", "create"):
            {
                var name = args[0];
                var rest = args.Skip(1).ToList();
                var type = VdevType.Stripe;
                if (rest.Count > 0 && VdevTypes.TryParse(rest[0], out var t) && !rest[0].StartsWith('/'))
                {
                    type = t;
                    rest.RemoveAt(0);
                }

                var ashift = options.TryGetValue("ashift", out var a) ? int.Parse(a) : 12;
                options.Remove("ashift");
                if (pools.Any(p => p.Name == name)) throw new InvalidOperationException($"pool {name} exists");
                pools.Add(new LivePool(name, type, rest.Select(d => d + "-part1").ToList(), ashift, options));
                datasets.Add(new LiveDataset(name, 100 * 1024, WithDefaults([])));
                break;
            }
            case ("zpool", "set"):
            {
                var (key, value) = KeyValue(args[0]);
                var index = pools.FindIndex(p => p.Name == args[1]);
                var props = new Dictionary<string, string>(pools[index].Properties) { [key] = value };
                pools[index] = pools[index] with { Properties = props };
                break;
            }
            case ("zfs", "create"):
            {
                var name = args[0];
                if (datasets.Any(d => d.Name == name)) throw new InvalidOperationException($"dataset {name} exists");
                if (!cmd.Contains("-p")) throw new InvalidOperationException("zfs create without -p");
                for (var i = name.IndexOf('/'); i > 0; i = name.IndexOf('/', i + 1))
                {
                    if (!datasets.Any(d => d.Name == name[..i])) datasets.Add(new LiveDataset(name[..i], 0, WithDefaults([])));
                }

                datasets.Add(new LiveDataset(name, 0, WithDefaults(options)));
                break;
            }
            case ("zfs", "set"):
            {
                var (key, value) = KeyValue(args[0]);
                var index = datasets.FindIndex(d => d.Name == args[1]);
                if (index < 0 && !args[1].Contains('/'))
                {
                    datasets.Add(new LiveDataset(args[1], 100 * 1024, WithDefaults([])));
                    index = datasets.Count - 1;
                }

                var props = new Dictionary<string, string>(datasets[index].Properties) { [key] = value };
                datasets[index] = datasets[index] with { Properties = props };
                break;
            }
            case ("zfs", "destroy"):
            {
                var name = args[0];
                if (datasets.Any(d => d.Name.StartsWith(name + "/", StringComparison.Ordinal)))
                    throw new InvalidOperationException($"zfs destroy {name}: has children");
                if (datasets.Single(d => d.Name == name).UsedBytes != 0)
                    throw new InvalidOperationException($"zfs destroy {name}: not empty");
                datasets.RemoveAll(d => d.Name == name);
                break;
            }
            default:
                throw new InvalidOperationException("unknown command " + string.Join(' ', cmd));
        }
    }

    private static void ApplyShare(PlanItem item, List<SmbShare> shares)
    {
        var index = shares.FindIndex(s => string.Equals(s.Name, item.Name, StringComparison.OrdinalIgnoreCase));
        if (item.Action == PlanAction.Delete)
        {
            shares.RemoveAt(index);
            return;
        }

        var share = index >= 0 ? shares[index] : new SmbShare(item.Name, "", false, [], "", false);
        foreach (var change in item.Changes)
        {
            var to = change.To ?? "";
            share = change.Property switch
            {
                "name" => share with { Name = to },
                "path" => share with { Path = to },
                "read_only" => share with { ReadOnly = to == "yes" },
                "valid_users" => share with { ValidUsers = to.Split(',', StringSplitOptions.RemoveEmptyEntries) },
                "comment" => share with { Comment = to },
                "guest_ok" => share with { GuestOk = to == "yes" },
                _ => throw new InvalidOperationException("unknown share change " + change),
            };
        }

        if (index >= 0) shares[index] = share;
        else shares.Add(share);
    }

    private static (Dictionary<string, string> Options, List<string> Args) Split(List<string> rest)
    {
        var options = new Dictionary<string, string>();
        var args = new List<string>();
        for (var i = 0; i < rest.Count; i++)
        {
            if (rest[i] == "--")
            {
                args.AddRange(rest.Skip(i + 1)); // getopt: everything after '--' is an operand
                break;
            }

            if (rest[i] == "-p") continue;
            if (rest[i] == "-o")
            {
                var (k, v) = KeyValue(rest[++i]);
                options[k] = v;
            }
            else
            {
                args.Add(rest[i]);
            }
        }

        return (options, args);
    }

    private static (string Key, string Value) KeyValue(string arg)
    {
        var eq = arg.IndexOf('=');
        return (arg[..eq], arg[(eq + 1)..]);
    }
}
