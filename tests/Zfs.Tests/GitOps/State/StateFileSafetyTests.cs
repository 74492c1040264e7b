using DPlaneOS.Zfs.GitOps;
using DPlaneOS.Zfs.GitOps.State;

namespace DPlaneOS.Zfs.Tests.GitOps.State;

/// <summary>
/// state.yaml cannot aim the root daemon at the system or at itself: pool properties come from an
/// allowlist, and mountpoints and share paths stay inside a pool's mount tree (or a configured
/// prefix), never at /, /etc, /boot, /nix, /var/lib/dplaneos, the data dir or what would cover them.
/// </summary>
public sealed class StateFileSafetyTests
{
    private static readonly HashSet<string> Tank = ["tank"];

    private static StateParseResult Parse(string yaml, PathPolicy? paths = null, IReadOnlyDictionary<string, string>? poolMountpoints = null,
        IReadOnlySet<string>? existing = null, bool poolsKnown = true) =>
        StateFileParser.Parse(yaml, existing ?? Tank, poolsKnown, paths, poolMountpoints);

    private static IReadOnlyList<StateError> Errors(string yaml, PathPolicy? paths = null, IReadOnlyDictionary<string, string>? poolMountpoints = null,
        IReadOnlySet<string>? existing = null, bool poolsKnown = true)
    {
        var result = Parse(yaml, paths, poolMountpoints, existing, poolsKnown);
        Assert.False(result.IsValid, "expected errors");
        Assert.All(result.Errors, e => Assert.True(e.Line > 0 && e.Column > 0, e.ToString()));
        return result.Errors;
    }

    private static void Valid(string yaml, PathPolicy? paths = null, IReadOnlyDictionary<string, string>? poolMountpoints = null,
        IReadOnlySet<string>? existing = null, bool poolsKnown = true)
    {
        var result = Parse(yaml, paths, poolMountpoints, existing, poolsKnown);
        Assert.True(result.IsValid, result.ToString());
    }

    private static string Mountpoint(string mountpoint, string dataset = "tank/x") =>
        $"version: 1\ndatasets:\n  - name: {dataset}\n    mountpoint: {mountpoint}\n";

    private static string SharePath(string path) => $"version: 1\nshares:\n  - name: media\n    path: {path}\n";

    private static string PoolWith(params string[] properties) =>
        "version: 1\npools:\n  - name: tank\n    vdev_type: stripe\n    disks: [/dev/disk/by-id/ata-A]\n    properties:\n"
        + string.Concat(properties.Select(p => $"      {p}\n"));

    // ---------------------------------------------------------------- pool properties

    [Fact]
    public void Every_pool_property_outside_the_allowlist_is_its_own_error_at_its_key()
    {
        var errors = Errors(PoolWith("cachefile: /etc/shadow", "altroot: /", "bootfs: tank/x", "frobnicate: 1", "\"feature@async_destroy\": enabled",
            "sharesmb: \"on\"", "readonly: \"on\""));
        Assert.Equal(
            ["cachefile", "altroot", "bootfs", "frobnicate", "feature@async_destroy", "sharesmb", "readonly"],
            errors.Select(e => e.Path["pools[0].properties.".Length..]));
        Assert.Equal(Enumerable.Range(7, 7), errors.Select(e => e.Line));
        Assert.All(errors, e => Assert.Equal(7, e.Column));
        Assert.Contains("cachefile makes zpool write a file at any path", errors[0].Message);
        Assert.Contains("altroot", errors[1].Message);
        Assert.Contains("not a pool property state.yaml may set", errors[3].Message);
        Assert.Contains("autotrim", errors[3].Message); // the message lists what is allowed
        Assert.Contains("cannot be undone", errors[4].Message);
    }

    [Theory]
    [InlineData("autotrim: maybe", "pools[0].properties.autotrim", 17, "pool property autotrim must be on or off, found 'maybe'")]
    [InlineData("failmode: panic", "pools[0].properties.failmode", 17, "failmode=panic")]
    [InlineData("comment: a comment that is much longer than thirty-two characters", "pools[0].properties.comment", 16, "at most 32")]
    public void Allowed_pool_properties_have_their_values_checked(string line, string path, int column, string message)
    {
        var e = Assert.Single(Errors(PoolWith(line)));
        Assert.Equal((7, column, path), (e.Line, e.Column, e.Path));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void The_allowlisted_pool_properties_and_user_properties_are_accepted() =>
        Valid(PoolWith("autoexpand: \"on\"", "autoreplace: \"off\"", "autotrim: \"on\"", "comment: Main pool", "delegation: \"on\"",
            "failmode: continue", "listsnapshots: \"off\"", "multihost: \"off\"", "org.example:owner: ops"));

    // ---------------------------------------------------------------- mountpoints

    [Theory]
    [InlineData("/")]
    [InlineData("/etc")]
    [InlineData("/etc/ssh")]
    [InlineData("/boot")]
    [InlineData("/nix/store")]
    [InlineData("/var/lib/dplaneos")]
    [InlineData("/var/lib/dplaneos/db")]
    [InlineData("/var")] // would cover /var/lib/dplaneos
    [InlineData("/var/lib")]
    [InlineData("/usr/local")]
    [InlineData("/root/.ssh")]
    [InlineData("/run")]
    public void A_mountpoint_at_or_over_a_system_or_daemon_path_is_refused_even_with_an_allowing_prefix(string mountpoint)
    {
        foreach (var paths in new[] { PathPolicy.Default, PathPolicy.Create(["/"], null), PathPolicy.Create([mountpoint], null) })
        {
            var e = Assert.Single(Errors(Mountpoint(mountpoint), paths));
            Assert.Equal((4, 17, "datasets[0].mountpoint"), (e.Line, e.Column, e.Path));
            Assert.Contains("refused", e.Message);
        }
    }

    [Fact]
    public void The_data_dir_its_subtree_and_what_covers_it_are_refused()
    {
        var paths = PathPolicy.Create(["/srv"], "/srv/dplaneos");
        foreach (var mountpoint in new[] { "/srv/dplaneos", "/srv/dplaneos/db", "/srv" })
        {
            var e = Assert.Single(Errors(Mountpoint(mountpoint), paths));
            Assert.Contains("/srv/dplaneos (the daemon's data dir)", e.Message);
        }

        Valid(Mountpoint("/srv/tank"), paths);
        Valid(Mountpoint("/srv/dplaneos2"), paths);
    }

    [Fact]
    public void A_mountpoint_outside_its_pools_tree_needs_an_allowed_prefix()
    {
        var e = Assert.Single(Errors(Mountpoint("/srv/x")));
        Assert.Equal((4, 17, "datasets[0].mountpoint"), (e.Line, e.Column, e.Path));
        Assert.Equal("mountpoint '/srv/x' is outside pool 'tank''s mount tree (/tank); put it there or add a prefix to DPlaneOS:GitOps:AllowedPathPrefixes", e.Message);
        Valid(Mountpoint("/srv/x"), PathPolicy.Create(["/srv"], null));
        Assert.Single(Errors(Mountpoint("/srvx/a"), PathPolicy.Create(["/srv"], null))); // whole components only
        Assert.Single(Errors(Mountpoint("/tankette/a"))); // not under /tank
        Assert.Single(Errors(Mountpoint("/backup/x"), existing: new HashSet<string> { "tank", "backup" })); // another pool's tree
    }

    [Theory]
    [InlineData("tank", "/tank")]
    [InlineData("tank", "/tank/root")]
    [InlineData("tank/x", "/tank/x")]
    [InlineData("tank/x", "/tank/a/b")]
    [InlineData("tank/x", "none")]
    [InlineData("tank/x", "legacy")]
    public void Mountpoints_in_the_pools_default_tree_or_none_or_legacy_are_fine(string dataset, string mountpoint) =>
        Valid(Mountpoint(mountpoint, dataset));

    [Fact]
    public void A_pools_live_root_mountpoint_is_its_tree_unless_that_is_refused()
    {
        var live = new Dictionary<string, string> { ["tank"] = "/mnt/tank" };
        Valid(Mountpoint("/mnt/tank/x"), poolMountpoints: live);
        Valid(Mountpoint("/mnt/tank", "tank"), poolMountpoints: live);
        Assert.Single(Errors(Mountpoint("/mnt/other")));
        Assert.Single(Errors(Mountpoint("/mnt/tank/x")));
        // A pool mounted at / (or another refused place) lends nothing: its tree would hold /etc.
        Assert.Single(Errors(Mountpoint("/home/x"), poolMountpoints: new Dictionary<string, string> { ["tank"] = "/" }));
        Assert.Single(Errors(Mountpoint("/etc/x"), poolMountpoints: new Dictionary<string, string> { ["tank"] = "/etc" }));
    }

    [Fact]
    public void A_new_pool_whose_default_mount_is_refused_cannot_be_declared()
    {
        var e = Assert.Single(Errors("version: 1\npools:\n  - name: etc\n    vdev_type: stripe\n    disks: [/dev/disk/by-id/ata-A]\n"));
        Assert.Equal((3, 11, "pools[0].name"), (e.Line, e.Column, e.Path));
        Assert.Contains("would mount at /etc", e.Message);
        Assert.Contains("refused", e.Message);
    }

    // ---------------------------------------------------------------- share paths

    [Theory]
    [InlineData("/etc")]
    [InlineData("/var/lib/dplaneos")]
    [InlineData("/var")]
    [InlineData("/")]
    public void A_share_of_a_system_or_daemon_path_is_refused(string path)
    {
        foreach (var poolsKnown in new[] { true, false })
        {
            var e = Assert.Single(Errors(SharePath(path), PathPolicy.Create(["/"], null), poolsKnown: poolsKnown));
            Assert.Equal((4, 11, "shares[0].path"), (e.Line, e.Column, e.Path));
            Assert.Contains("refused", e.Message);
        }
    }

    [Fact]
    public void A_share_path_must_lie_in_a_pools_tree_or_under_an_allowed_prefix()
    {
        var e = Assert.Single(Errors(SharePath("/srv/media")));
        Assert.Equal((4, 11, "shares[0].path"), (e.Line, e.Column, e.Path));
        Assert.Equal("share path '/srv/media' is not in a pool's mount tree (/tank) or under a prefix in DPlaneOS:GitOps:AllowedPathPrefixes", e.Message);
        Valid(SharePath("/tank/media"));
        Valid(SharePath("/srv/media"), PathPolicy.Create(["/srv"], null));
        Valid(SharePath("/mnt/tank/media"), poolMountpoints: new Dictionary<string, string> { ["tank"] = "/mnt/tank" });
        // A declared pool lends its tree before it exists.
        Valid("version: 1\npools:\n  - name: backup\n    vdev_type: stripe\n    disks: [/dev/disk/by-id/ata-A]\nshares:\n  - name: b\n    path: /backup/b\n",
            existing: new HashSet<string>());
        // When the host's pools could not be read, only the refused paths are checked (as the "pool exists" check is skipped).
        Valid(SharePath("/srv/media"), existing: new HashSet<string>(), poolsKnown: false);
    }

    [Fact]
    public void A_share_path_with_an_smbd_substitution_is_refused()
    {
        var e = Assert.Single(Errors(SharePath("/tank/%U")));
        Assert.Equal("shares[0].path", e.Path);
        Assert.Contains("'%'", e.Message);
    }

    [Fact]
    public void Every_path_problem_is_reported_not_just_the_first()
    {
        var errors = Errors("""
            version: 1
            datasets:
              - name: tank/a
                mountpoint: /etc
              - name: tank/b
                mountpoint: /srv/b
            shares:
              - name: media
                path: /var/lib/dplaneos
            """);
        Assert.Equal(["datasets[0].mountpoint", "datasets[1].mountpoint", "shares[0].path"], errors.Select(e => e.Path));
        Assert.Equal([(4, 17), (6, 17), (9, 11)], errors.Select(e => (e.Line, e.Column)));
    }
}
