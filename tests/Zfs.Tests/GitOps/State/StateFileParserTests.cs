using DPlaneOS.Zfs.GitOps.State;

namespace DPlaneOS.Zfs.Tests.GitOps.State;

public sealed class StateFileParserTests
{
    private static DesiredState Valid(string yaml, IReadOnlySet<string>? existing = null)
    {
        var result = StateFileParser.Parse(yaml, existing);
        Assert.True(result.IsValid, result.ToString());
        return result.State;
    }

    private static IReadOnlyList<StateError> Invalid(string yaml, IReadOnlySet<string>? existing = null)
    {
        var result = StateFileParser.Parse(yaml, existing);
        Assert.False(result.IsValid, "expected errors");
        Assert.Null(result.State);
        Assert.All(result.Errors, e => Assert.True(e.Line > 0 && e.Column > 0, e.ToString()));
        return result.Errors;
    }

    private static StateError Single(string yaml, IReadOnlySet<string>? existing = null)
    {
        var errors = Invalid(yaml, existing);
        Assert.True(errors.Count == 1, string.Join("\n", errors));
        return errors[0];
    }

    private static string Pool(string disk, string vdev = "stripe", string extra = "") => $"""
        version: 1
        pools:
          - name: tank
            vdev_type: {vdev}
            disks:
              - {disk}
        {extra}
        """;

    [Fact]
    public void Full_document_reads_every_field()
    {
        var state = Valid(StateYaml.Full);
        Assert.True(state.PruneShares);
        Assert.False(state.PrunePools);
        var pool = Assert.Single(state.Pools);
        Assert.Equal(VdevType.Raidz2, pool.VdevType);
        Assert.Equal("/dev/disk/by-id/usb-Vendor_Model-0:0", pool.Disks[2]);
        Assert.Equal(12, pool.Ashift);
        Assert.True(pool.Prune);
        Assert.Equal("ops", pool.Properties["org.dplaneos:owner"]);
        var media = state.Datasets[0];
        Assert.Equal(10L * 1024 * 1024 * 1024, media.QuotaBytes);
        Assert.Equal("zstd-3", media.Compression);
        Assert.False(media.Atime);
        Assert.Equal(1024 * 1024, media.RecordsizeBytes);
        var secret = state.Datasets[1];
        Assert.Equal(("aes-256-gcm", "raw", "file:///etc/dplaneos/keys/secret.key", "insensitive"),
            (secret.Encryption, secret.KeyFormat, secret.KeyLocation, secret.CaseSensitivity));
        var share = Assert.Single(state.Shares);
        Assert.Equal(["alice", "@family"], share.ValidUsers);
        Assert.True(share.ReadOnly);
        Assert.Equal("Family media", share.Comment);
    }

    [Fact]
    public void Unknown_top_level_key_is_an_error_with_its_position()
    {
        var e = Single("version: 1\ndatsets: []\n");
        Assert.Equal((2, 1, "datsets"), (e.Line, e.Column, e.Path));
        Assert.Equal("unknown key 'datsets' in the document; allowed keys: version, pools, datasets, shares, prune_pools, prune_shares", e.Message);
    }

    [Fact]
    public void Unknown_nested_key_names_its_path()
    {
        var e = Single(Pool(StateYaml.Disk1, extra: "    compresion: lz4"));
        Assert.Equal((7, 5, "pools[0].compresion"), (e.Line, e.Column, e.Path));
        Assert.StartsWith("unknown key 'compresion' in a pool", e.Message);
    }

    [Fact]
    public void Duplicate_keys_are_errors_at_the_second_occurrence()
    {
        var errors = Invalid("version: 1\nshares: []\nshares: []\n");
        var e = Assert.Single(errors);
        Assert.Equal((3, 1, "shares"), (e.Line, e.Column, e.Path));
        Assert.Equal("duplicate key 'shares' (first defined at line 2, column 1)", e.Message);
    }

    [Fact]
    public void All_errors_are_reported_not_just_the_first()
    {
        var errors = Invalid("""
            version: 2
            pools:
              - name: tank
                vdev_type: mirror
                disks: [/dev/sda, /dev/sdb]
            datasets:
              - name: tank/a
                compression: brotli
            """);
        Assert.Equal(["version", "pools[0].disks[0]", "pools[0].disks[1]", "datasets[0].compression"], errors.Select(e => e.Path));
        Assert.Equal((5, 13), (errors[1].Line, errors[1].Column));
        Assert.Equal((5, 23), (errors[2].Line, errors[2].Column));
    }

    [Theory]
    [InlineData("version: 1", true)]
    [InlineData("version: \"1\"", true)]
    [InlineData("version: 2", false)]
    [InlineData("version: one", false)]
    [InlineData("pools: []", false)]
    public void Version_must_be_1(string yaml, bool ok)
    {
        var result = StateFileParser.Parse(yaml);
        Assert.Equal(ok, result.IsValid);
        if (!ok) Assert.Contains("version", result.Errors[0].Message);
    }

    [Fact]
    public void Missing_version_is_reported_at_the_document()
    {
        var e = Single("pools: []");
        Assert.Equal((1, 1, "version"), (e.Line, e.Column, e.Path));
        Assert.Equal("missing required key 'version' (write 'version: 1')", e.Message);
    }

    [Theory]
    [InlineData("/dev/sda", "disk '/dev/sda' is a kernel device name that can change between boots; use its /dev/disk/by-id/ path")]
    [InlineData("/dev/sdb1", "disk '/dev/sdb1' is a kernel device name that can change between boots; use its /dev/disk/by-id/ path")]
    [InlineData("/dev/nvme0n1", "disk '/dev/nvme0n1' is a kernel device name that can change between boots; use its /dev/disk/by-id/ path")]
    [InlineData("sda", "disk 'sda' is a kernel device name that can change between boots; use its /dev/disk/by-id/ path")]
    [InlineData("/dev/disk/by-path/pci-0000", "disk '/dev/disk/by-path/pci-0000' is not a by-id path; only /dev/disk/by-id/ names stay the same across boots and controllers")]
    [InlineData("/dev/disk/by-uuid/1234", "disk '/dev/disk/by-uuid/1234' is not a by-id path; only /dev/disk/by-id/ names stay the same across boots and controllers")]
    [InlineData("/tmp/disk.img", "disk '/tmp/disk.img' is not under /dev/disk/by-id/; only by-id names stay the same across boots")]
    [InlineData("mydisk", "disk 'mydisk' is not a device path; use its /dev/disk/by-id/ path")]
    [InlineData("/dev/disk/by-id/", "disk '/dev/disk/by-id/' is not a valid by-id name (one path component of letters, digits, '_', '-', '.', ':', '+')")]
    [InlineData("/dev/disk/by-id/../sda", "disk '/dev/disk/by-id/../sda' is not a valid by-id name (one path component of letters, digits, '_', '-', '.', ':', '+')")]
    [InlineData("/dev/disk/by-id/ata-X-part1", "disk '/dev/disk/by-id/ata-X-part1' names a partition; list the whole disk by-id (ZFS partitions it itself)")]
    [InlineData("\"/dev/disk/by-id/ata-X;rm\"", "disk '/dev/disk/by-id/ata-X;rm' contains the shell metacharacter ';'; use its /dev/disk/by-id/ path")]
    public void Disks_must_be_whole_disk_by_id_paths(string disk, string message)
    {
        var e = Single(Pool(disk));
        Assert.Equal((6, 9, "pools[0].disks[0]"), (e.Line, e.Column, e.Path));
        Assert.Equal(message, e.Message);
        Assert.Contains("by-id", e.Message);
    }

    [Fact]
    public void Duplicate_disks_are_rejected_within_and_across_pools()
    {
        var errors = Invalid($"""
            version: 1
            pools:
              - name: tank
                vdev_type: mirror
                disks: [{StateYaml.Disk1}, {StateYaml.Disk1}]
              - name: backup
                vdev_type: stripe
                disks: [{StateYaml.Disk1}]
            """);
        Assert.Equal(["pools[0].disks[1]", "pools[1].disks[0]"], errors.Select(e => e.Path));
        Assert.Equal($"duplicate disk '{StateYaml.Disk1}' (also pools[0].disks[0])", errors[0].Message);
    }

    [Theory]
    [InlineData("tank", null)]
    [InlineData("my_pool.2-x:y", null)]
    [InlineData("1tank", "pool name '1tank' must start with a letter and contain only letters, digits, '_', '-', '.' and ':'")]
    [InlineData("mirror", "pool name 'mirror' is reserved by ZFS")]
    [InlineData("c0t0", "pool name 'c0t0' looks like a disk name (c0...) which ZFS reserves")]
    [InlineData("\"ta nk\"", "pool name 'ta nk' contains a space")]
    [InlineData("\"tank$x\"", "pool name 'tank$x' contains the shell metacharacter '$'")]
    public void Pool_names_follow_zfs_rules(string name, string? message)
    {
        var yaml = $"version: 1\npools:\n  - name: {name}\n    vdev_type: stripe\n    disks: [{StateYaml.Disk1}]\n";
        if (message is null)
        {
            Valid(yaml);
            return;
        }

        var e = Single(yaml);
        Assert.Equal((3, 11, "pools[0].name", message), (e.Line, e.Column, e.Path, e.Message));
    }

    [Theory]
    [InlineData("tank/media", null)]
    [InlineData("tank", null)]
    [InlineData("tank/../x", "dataset name 'tank/../x' must not contain '.' or '..' components")]
    [InlineData("tank//x", "dataset name 'tank//x' must not contain '//'")]
    [InlineData("tank/x/", "dataset name 'tank/x/' must not end with '/'")]
    [InlineData("/tank/x", "dataset name '/tank/x' must start with the pool name, not '/'")]
    [InlineData("tank/x@snap", "dataset name 'tank/x@snap': component 'x@snap' may contain only letters, digits, '_', '-', '.' and ':'")]
    [InlineData("\"tank/a;b\"", "dataset name 'tank/a;b' contains the shell metacharacter ';'")]
    [InlineData("\"tank/`id`\"", "dataset name 'tank/`id`' contains the shell metacharacter '`'")]
    public void Dataset_names_follow_zfs_rules(string name, string? message)
    {
        var yaml = $"version: 1\ndatasets:\n  - name: {name}\n";
        var existing = new HashSet<string> { "tank" };
        if (message is null)
        {
            Valid(yaml, existing);
            return;
        }

        var e = Single(yaml, existing);
        Assert.Equal((3, 11, "datasets[0].name", message), (e.Line, e.Column, e.Path, e.Message));
    }

    [Fact]
    public void Dataset_must_lie_under_a_declared_or_existing_pool()
    {
        const string yaml = "version: 1\ndatasets:\n  - name: other/x\n";
        var e = Single(yaml);
        Assert.Equal((3, 5, "datasets[0].name"), (e.Line, e.Column, e.Path));
        Assert.Equal("dataset 'other/x' is not under a declared pool or an existing pool ('other' is neither)", e.Message);
        Valid(yaml, new HashSet<string> { "other" });
    }

    [Theory]
    [InlineData("quota: 2TB", "datasets[0].quota", "quota '2TB' is not a size; use none, bytes, or a number with K, M, G, T, P or E (1024-based), e.g. 500G")]
    [InlineData("quota: -1", "datasets[0].quota", "quota '-1' is not a size; use none, bytes, or a number with K, M, G, T, P or E (1024-based), e.g. 500G")]
    [InlineData("compression: brotli", "datasets[0].compression", "compression 'brotli' is not known to ZFS; use on, off, lz4, lzjb, zle, gzip, gzip-1..9, zstd, zstd-1..19 or zstd-fast[-N]")]
    [InlineData("compression: gzip-10", "datasets[0].compression", "compression 'gzip-10' is not known to ZFS; use on, off, lz4, lzjb, zle, gzip, gzip-1..9, zstd, zstd-1..19 or zstd-fast[-N]")]
    [InlineData("atime: maybe", "datasets[0].atime", "atime must be on or off, found 'maybe'")]
    [InlineData("mountpoint: relative", "datasets[0].mountpoint", "mountpoint 'relative' must be an absolute path starting with '/' (or use none / legacy)")]
    [InlineData("mountpoint: /mnt/x/", "datasets[0].mountpoint", "mountpoint '/mnt/x/' must not end with '/' (or use none / legacy)")]
    [InlineData("mountpoint: /mnt/../etc", "datasets[0].mountpoint", "mountpoint '/mnt/../etc' must not contain '.' or '..' components (or use none / legacy)")]
    [InlineData("recordsize: 100K", "datasets[0].recordsize", "recordsize '100K' must be a power of two from 512 to 16M, e.g. 128K or 1M")]
    [InlineData("encryption: rot13", "datasets[0].encryption", "encryption 'rot13' must be off, on, or aes-128|192|256-ccm|gcm")]
    [InlineData("casesensitivity: sometimes", "datasets[0].casesensitivity", "casesensitivity 'sometimes' must be sensitive, insensitive or mixed")]
    [InlineData("encryption: on", "datasets[0]", "an encrypted dataset needs key_location: file:///path/to/key (the daemon cannot answer a prompt)")]
    [InlineData("key_format: raw", "datasets[0]", "key_format and key_location only apply when encryption is on")]
    [InlineData("quota: [1]", "datasets[0].quota", "quota must be a string, found a sequence")]
    [InlineData("quota:", "datasets[0].quota", "quota must not be empty")]
    public void Dataset_properties_are_validated(string line, string path, string message)
    {
        var e = Single($"version: 1\ndatasets:\n  - name: tank/x\n    {line}\n", new HashSet<string> { "tank" });
        Assert.Equal((path, message), (e.Path, e.Message));
        Assert.Equal(path == "datasets[0]" ? (3, 5) : (4, line.IndexOf(':') + 7 - (line.EndsWith(':') ? 1 : 0)), (e.Line, e.Column));
    }

    [Theory]
    [InlineData("compression", "gzip-5")]
    [InlineData("compression", "zstd-fast-10")]
    [InlineData("quota", "1G")]
    [InlineData("recordsize", "128K")]
    public void A_value_with_a_trailing_line_break_is_refused(string key, string value)
    {
        // '$' in .NET matches before a final '\n': an unanchored check let "gzip-5\n" through to zfs create -o.
        var e = Single($"version: 1\ndatasets:\n  - name: tank/x\n    {key}: \"{value}\\n\"\n", new HashSet<string> { "tank" });
        Assert.Equal((4, key.Length + 7, $"datasets[0].{key}"), (e.Line, e.Column, e.Path));
    }

    [Theory]
    [InlineData("gzip-9")]
    [InlineData("zstd-19")]
    [InlineData("zstd-fast-1000")]
    [InlineData("on")]
    [InlineData("zle")]
    public void Compression_levels_are_accepted(string compression) =>
        Valid($"version: 1\ndatasets:\n  - name: tank/x\n    compression: {compression}\n", new HashSet<string> { "tank" });

    [Theory]
    [InlineData("read_only: yes", "shares[0].read_only", "read_only must be true or false, found 'yes'")]
    [InlineData("read_only: \"true\"", "shares[0].read_only", "read_only must be true or false, found 'true'")]
    [InlineData("guest_ok: on", "shares[0].guest_ok", "guest_ok must be true or false, found 'on'")]
    [InlineData("path: relative/path", "shares[0].path", "share path 'relative/path' must be an absolute path starting with '/'")]
    [InlineData("valid_users: \"alice;rm\"", "shares[0].valid_users", "user 'alice;rm' contains the shell metacharacter ';'")]
    [InlineData("comment: \"a\\nb\"", "shares[0].comment", "comment must be a single line without control characters")]
    [InlineData("path: {a: b}", "shares[0].path", "path must be a string, found a mapping")]
    public void Share_fields_are_validated(string line, string path, string message)
    {
        var yaml = $"version: 1\nshares:\n  - name: media\n    {(line.StartsWith("path") ? "" : "path: /mnt/tank/media\n    ")}{line}\n";
        var e = Single(yaml);
        Assert.Equal((path, message), (e.Path, e.Message));
    }

    [Fact]
    public void Share_names_are_unique_ignoring_case()
    {
        var e = Single("version: 1\nshares:\n  - {name: Media, path: /tank/a}\n  - {name: media, path: /tank/b}\n", new HashSet<string> { "tank" });
        Assert.Equal((4, 5, "shares[1].name"), (e.Line, e.Column, e.Path));
        Assert.Equal("duplicate share name 'media' (also shares[0]; SMB share names ignore case)", e.Message);
    }

    [Fact]
    public void Duplicate_pool_and_dataset_names_are_errors()
    {
        var errors = Invalid($$"""
            version: 1
            pools:
              - {name: tank, vdev_type: stripe, disks: [{{StateYaml.Disk1}}]}
              - {name: tank, vdev_type: stripe, disks: [{{StateYaml.Disk2}}]}
            datasets:
              - name: tank/a
              - name: tank/a
            """);
        Assert.Equal(["pools[1].name", "datasets[1].name"], errors.Select(e => e.Path));
        Assert.Contains("duplicate", errors[0].Message);
        Assert.Equal("duplicate dataset name 'tank/a' (also datasets[0])", errors[1].Message);
    }

    [Theory]
    [InlineData("ashift: 8", "ashift 8 is out of range; use 9..16 (12 for 4K-sector disks) or leave it out")]
    [InlineData("ashift: 17", "ashift 17 is out of range; use 9..16 (12 for 4K-sector disks) or leave it out")]
    [InlineData("ashift: twelve", "ashift must be an integer, found 'twelve'")]
    [InlineData("ashift: \"12\"", "ashift must be an integer, found '12'")]
    public void Ashift_is_an_integer_from_9_to_16(string line, string message)
    {
        var e = Single(Pool(StateYaml.Disk1, extra: "    " + line));
        Assert.Equal((7, 13, "pools[0].ashift", message), (e.Line, e.Column, e.Path, e.Message));
    }

    [Fact]
    public void Vdev_type_is_required_and_checked_against_disk_count()
    {
        var missing = Single($"version: 1\npools:\n  - name: tank\n    disks: [{StateYaml.Disk1}]\n");
        Assert.Equal((3, 5, "pools[0]", "missing required key 'vdev_type'"), (missing.Line, missing.Column, missing.Path, missing.Message));
        var few = Single(Pool(StateYaml.Disk1, "raidz2"));
        Assert.Equal("a raidz2 pool needs at least 3 disks, found 1", few.Message);
        var bad = Single(Pool(StateYaml.Disk1, "raid5"));
        Assert.Equal("vdev_type 'raid5' is not one of stripe, mirror, raidz (= raidz1), raidz1, raidz2, raidz3", bad.Message);
    }

    [Fact]
    public void Pool_properties_reject_ashift_and_bad_names()
    {
        var errors = Invalid(Pool(StateYaml.Disk1, extra: "    properties:\n      ashift: \"12\"\n      Bad-Name: x\n      autotrim: \"a b\""));
        Assert.Equal(["pools[0].properties.ashift", "pools[0].properties.Bad-Name", "pools[0].properties.autotrim"], errors.Select(e => e.Path));
        Assert.Equal("set ashift with the pool's 'ashift' key, not under properties", errors[0].Message);
    }

    [Theory]
    [InlineData("", 1, 1, "the document is empty; expected a mapping starting with 'version: 1'")]
    [InlineData("# only a comment\n", 1, 1, "the document is empty; expected a mapping starting with 'version: 1'")]
    [InlineData("- a\n- b\n", 1, 1, "the document must be a mapping, found a sequence")]
    [InlineData("version: 1\n---\nversion: 1\n", 2, 1, "only one YAML document is allowed in state.yaml")]
    [InlineData("version: &v 1\npools: *v\n", 2, 8, "aliases (*v) are not supported in state.yaml; write the value out")]
    [InlineData("pools: [\n", 2, 1, "invalid YAML: ")]
    [InlineData("version: 1\n\tpools: []\n", 1, 10, "invalid YAML: ")]
    [InlineData("version: 1\npools: []\n  x: y\n", 3, 3, "invalid YAML: ")]
    public void Syntax_and_structure_errors_have_positions(string yaml, int line, int column, string message)
    {
        var e = Invalid(yaml)[0];
        Assert.Equal((line, column), (e.Line, e.Column));
        Assert.StartsWith(message, e.Message);
    }

    [Fact]
    public void Tab_indentation_gets_a_hint()
    {
        var e = Single("version: 1\n\tpools: []\n");
        Assert.EndsWith("(tabs are not allowed for indentation in YAML; use spaces)", e.Message);
    }

    [Fact]
    public void Null_lists_are_errors_not_empty()
    {
        var e = Single("version: 1\nshares:\n");
        Assert.Equal("shares must be a sequence; write [] for none", e.Message);
    }

    [Fact]
    public void Deep_nesting_is_refused_without_stack_overflow()
    {
        var yaml = "version: 1\npools: " + new string('[', 5000) + new string(']', 5000) + "\n";
        var errors = Invalid(yaml);
        Assert.Contains(errors, e => e.Message.StartsWith("nesting is deeper than", StringComparison.Ordinal));
    }
}
