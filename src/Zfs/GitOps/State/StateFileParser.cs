using DPlaneOS.Zfs.GitOps.Yaml;
using DPlaneOS.Zfs.GitOps.Planning;

namespace DPlaneOS.Zfs.GitOps.State;

/// <summary>
/// Parses state.yaml strictly: unknown keys, wrong types, duplicate keys, non-by-id disks and
/// unsafe names are all errors with line, column and path. Every error is collected; nothing throws.
/// Unlike the original hand-written subset parser, this is real YAML (YamlDotNet), so flow style,
/// quoting, tabs-free indentation and comments behave as YAML specifies.
/// </summary>
public static class StateFileParser
{
    /// <summary>Larger input is refused before parsing; a real state.yaml is a few KiB.</summary>
    public const int MaxBytes = 1024 * 1024;

    private static readonly string[] TopKeys = ["version", "pools", "datasets", "shares", "prune_pools", "prune_shares"];
    private static readonly string[] PoolKeys = ["name", "vdev_type", "disks", "ashift", "properties", "prune"];
    private static readonly string[] DatasetKeys =
        ["name", "quota", "compression", "atime", "mountpoint", "recordsize", "encryption", "key_format", "key_location", "casesensitivity"];
    private static readonly string[] ShareKeys = ["name", "path", "read_only", "valid_users", "comment", "guest_ok"];

    /// <param name="existingPools">Pools on the host: a dataset must sit in one of them or in a declared pool.</param>
    /// <param name="poolsKnown">False when the host's pools could not be read: the "pool exists" check is then skipped, not failed.</param>
    /// <param name="paths">Where mountpoints and share paths may go; <see cref="PathPolicy.Default"/> when null.</param>
    /// <param name="poolMountpoints">Live mountpoint of each pool's root dataset: besides <c>/&lt;pool&gt;</c>, the pool's mount tree.</param>
    public static StateParseResult Parse(string yaml, IReadOnlySet<string>? existingPools = null, bool poolsKnown = true,
        PathPolicy? paths = null, IReadOnlyDictionary<string, string>? poolMountpoints = null)
    {
        var errors = new List<StateError>();
        if (yaml.Length > MaxBytes)
            return StateParseResult.Fail([new StateError(1, 1, "", $"state.yaml is larger than {MaxBytes} bytes")]);

        var root = YamlTreeLoader.Load(yaml, errors);
        if (root is null) return StateParseResult.Fail(errors);

        var trees = new MountTrees(paths ?? PathPolicy.Default, poolMountpoints ?? new Dictionary<string, string>());
        var state = new Builder(new YamlReader(errors), existingPools ?? new HashSet<string>(), poolsKnown, trees).Read(root);
        return errors.Count == 0 && state is not null ? StateParseResult.Ok(state) : StateParseResult.Fail(errors);
    }

    private sealed class Builder(YamlReader reader, IReadOnlySet<string> existingPools, bool poolsKnown, MountTrees trees)
    {
        public DesiredState? Read(YNode root)
        {
            var top = reader.Mapping(root, "", "the document", TopKeys);
            if (top is null) return null;

            ReadVersion(root, top);
            var pools = List(top, "pools", "a pool", PoolKeys, ReadPool);
            var datasets = List(top, "datasets", "a dataset", DatasetKeys, ReadDataset);
            var shares = List(top, "shares", "a share", ShareKeys, ReadShare);
            var prunePools = OptionalBool(top, "", "prune_pools") ?? false;
            var pruneShares = OptionalBool(top, "", "prune_shares") ?? false;

            CheckPools(pools);
            CheckDatasets(datasets, pools);
            CheckShares(shares, pools);
            return new DesiredState(1, pools.Select(p => p.Value).ToList(), datasets.Select(d => d.Value).ToList(),
                shares.Select(s => s.Value).ToList(), prunePools, pruneShares);
        }

        private void ReadVersion(YNode root, IReadOnlyDictionary<string, YEntry> top)
        {
            if (!top.TryGetValue("version", out var entry))
            {
                reader.Error(root, "version", "missing required key 'version' (write 'version: 1')");
                return;
            }

            // 'version: 1' and 'version: "1"' are both accepted, as in the original.
            if (entry.Value is YScalar { Value: "1" }) return;
            if (entry.Value is YInvalid) return;
            reader.Error(entry.Value, "version", $"unsupported version {YamlReader.Describe(entry.Value)}; only version 1 is supported");
        }

        /// <summary>Reads the sequence under <paramref name="key"/>: each item a mapping of <paramref name="keys"/>, read by <paramref name="read"/>.</summary>
        private List<Located<T>> List<T>(IReadOnlyDictionary<string, YEntry> top, string key, string what, string[] keys,
            Func<IReadOnlyDictionary<string, YEntry>, YNode, string, T?> read)
            where T : class
        {
            var result = new List<Located<T>>();
            if (!top.TryGetValue(key, out var entry)) return result;
            var items = reader.Sequence(entry.Value, key, key);
            if (items is null) return result;
            for (var i = 0; i < items.Count; i++)
            {
                var path = $"{key}[{i}]";
                if (reader.Mapping(items[i], path, what, keys) is { } map && read(map, items[i], path) is { } value)
                    result.Add(new Located<T>(value, items[i], path));
            }

            return result;
        }

        private DesiredPool? ReadPool(IReadOnlyDictionary<string, YEntry> map, YNode node, string path)
        {
            var ok = true;

            var name = Required(map, node, path, "name", n => NameRules.CheckPoolName(n) ?? (existingPools.Contains(n) ? null : trees.NewPoolError(n)));
            var vdevType = Required(map, node, path, "vdev_type", v => VdevTypes.TryParse(v, out _)
                ? null
                : $"vdev_type '{v}' is not one of stripe, mirror, raidz (= raidz1), raidz1, raidz2, raidz3");

            var disks = new List<string>();
            if (map.TryGetValue("disks", out var disksEntry))
            {
                var items = reader.Sequence(disksEntry.Value, path + ".disks", "disks");
                if (items is null) ok = false;
                else if (items.Count == 0) ok = Fail(disksEntry.Value, path + ".disks", "a pool needs at least one disk");
                for (var i = 0; items is not null && i < items.Count; i++)
                {
                    var diskPath = $"{path}.disks[{i}]";
                    var disk = reader.String(items[i], diskPath, "a disk");
                    if (disk is null) ok = false;
                    else if (NameRules.CheckDisk(disk) is { } why) ok = Fail(items[i], diskPath, why);
                    else disks.Add(disk);
                }
            }
            else
            {
                ok = Fail(node, path, "missing required key 'disks'");
            }

            int? ashift = null;
            if (map.TryGetValue("ashift", out var ashiftEntry))
            {
                ashift = reader.Int(ashiftEntry.Value, path + ".ashift", "ashift");
                if (ashift is null) ok = false;
                else if (ashift is < 9 or > 16)
                    ok = Fail(ashiftEntry.Value, path + ".ashift", $"ashift {ashift} is out of range; use 9..16 (12 for 4K-sector disks) or leave it out");
            }

            var properties = ReadProperties(map, path, ref ok);
            var prune = OptionalBool(map, path, "prune");
            if (map.ContainsKey("prune") && prune is null) ok = false;

            if (name is null || vdevType is null || !ok) return null;
            VdevTypes.TryParse(vdevType, out var type);
            if (disks.Count > 0 && disks.Count < type.MinimumDisks())
            {
                reader.Error(map["disks"].Value, path + ".disks", $"a {type.Name()} pool needs at least {type.MinimumDisks()} disks, found {disks.Count}");
                return null;
            }

            return new DesiredPool(name, type, disks, ashift, properties, prune ?? false);
        }

        private Dictionary<string, string> ReadProperties(IReadOnlyDictionary<string, YEntry> map, string path, ref bool ok)
        {
            var properties = new Dictionary<string, string>(StringComparer.Ordinal);
            if (!map.TryGetValue("properties", out var entry)) return properties;
            var propsPath = path + ".properties";
            if (entry.Value is YInvalid) return properties;
            if (entry.Value is not YMapping propMap)
            {
                ok = Fail(entry.Value, propsPath, $"properties must be a mapping, found {YamlReader.Describe(entry.Value)}");
                return properties;
            }

            foreach (var prop in propMap.Entries)
            {
                var propPath = $"{propsPath}.{prop.Key.Value}";
                if (prop.Key.Value == "ashift")
                {
                    ok = Fail(prop.Key, propPath, "set ashift with the pool's 'ashift' key, not under properties");
                    continue;
                }

                if (PoolProperties.KeyError(prop.Key.Value) is { } keyError)
                {
                    ok = Fail(prop.Key, propPath, keyError);
                    continue;
                }

                var value = reader.String(prop.Value, propPath, $"property '{prop.Key.Value}'");
                if (value is null) ok = false;
                else if (PoolProperties.ValueError(prop.Key.Value, value) is { } valueError) ok = Fail(prop.Value, propPath, valueError);
                else properties[prop.Key.Value] = value;
            }

            return properties;
        }

        private DesiredDataset? ReadDataset(IReadOnlyDictionary<string, YEntry> map, YNode node, string path)
        {
            var ok = true;

            var name = Required(map, node, path, "name", NameRules.CheckDatasetName);

            var quota = OptionalSize(map, path, "quota", ZfsValues.TryParseQuota,
                text => $"quota '{text}' is not a size; use none, bytes, or a number with K, M, G, T, P or E (1024-based), e.g. 500G", ref ok);

            var compression = Optional(map, path, "compression", ref ok);
            if (compression is not null && ZfsValues.CanonicalCompression(compression) is null)
            {
                ok = Fail(map["compression"].Value, path + ".compression",
                    $"compression '{compression}' is not known to ZFS; use on, off, lz4, lzjb, zle, gzip, gzip-1..9, zstd, zstd-1..19 or zstd-fast[-N]");
                compression = null;
            }

            bool? atime = null;
            if (map.TryGetValue("atime", out var atimeEntry))
            {
                // ZFS spells it on/off; YAML booleans are accepted too.
                atime = atimeEntry.Value switch
                {
                    YScalar { Value: "on" or "true" } => true,
                    YScalar { Value: "off" or "false" } => false,
                    _ => null,
                };
                if (atime is null && atimeEntry.Value is not YInvalid)
                    ok = Fail(atimeEntry.Value, path + ".atime", $"atime must be on or off, found {YamlReader.Describe(atimeEntry.Value)}");
            }

            var mountpoint = Optional(map, path, "mountpoint", ref ok);
            if (mountpoint is not null and not "none" and not "legacy")
            {
                if (NameRules.CheckAbsolutePath(mountpoint, "mountpoint") is { } mpError)
                    ok = Fail(map["mountpoint"].Value, path + ".mountpoint", mpError + " (or use none / legacy)");
                else if (name is not null && trees.MountpointError(mountpoint, DatasetPlanner.PoolOf(name)) is { } treeError)
                    ok = Fail(map["mountpoint"].Value, path + ".mountpoint", treeError);
            }

            var recordsize = OptionalSize(map, path, "recordsize", ZfsValues.TryParseRecordsize,
                text => $"recordsize '{text}' must be a power of two from 512 to 16M, e.g. 128K or 1M", ref ok);

            var encryption = Optional(map, path, "encryption", ref ok);
            if (encryption is not null && ZfsValues.CanonicalEncryption(encryption) is null)
                ok = Fail(map["encryption"].Value, path + ".encryption", $"encryption '{encryption}' must be off, on, or aes-128|192|256-ccm|gcm");
            var keyFormat = Optional(map, path, "key_format", ref ok);
            var keyLocation = Optional(map, path, "key_location", ref ok);
            ok &= CheckEncryptionKeys(map, node, path, encryption, keyFormat, keyLocation);

            var caseSensitivity = Optional(map, path, "casesensitivity", ref ok);
            if (caseSensitivity is not null and not "sensitive" and not "insensitive" and not "mixed")
                ok = Fail(map["casesensitivity"].Value, path + ".casesensitivity", $"casesensitivity '{caseSensitivity}' must be sensitive, insensitive or mixed");

            if (name is null || !ok) return null;
            var encrypted = encryption is not null && encryption != "off";
            return new DesiredDataset(name, quota, compression, atime, mountpoint, recordsize, encryption,
                encrypted ? keyFormat ?? "passphrase" : null, encrypted ? keyLocation : null, caseSensitivity);
        }

        /// <summary>
        /// A daemon cannot answer a passphrase prompt, so an encrypted dataset needs a key file.
        /// </summary>
        private bool CheckEncryptionKeys(IReadOnlyDictionary<string, YEntry> map, YNode node, string path, string? encryption, string? keyFormat, string? keyLocation)
        {
            var ok = true;
            var encrypted = encryption is not null && ZfsValues.CanonicalEncryption(encryption) is not null and not "off";
            if (keyFormat is not null && keyFormat is not "raw" and not "hex" and not "passphrase")
                ok = Fail(map["key_format"].Value, path + ".key_format", $"key_format '{keyFormat}' must be raw, hex or passphrase");
            if (keyLocation is not null)
            {
                var file = keyLocation.StartsWith("file://", StringComparison.Ordinal) ? keyLocation["file://".Length..] : null;
                if (file is null || NameRules.CheckAbsolutePath(file, "key file") is not null)
                    ok = Fail(map["key_location"].Value, path + ".key_location", $"key_location '{keyLocation}' must be file:///absolute/path (the daemon cannot answer a prompt)");
            }

            if (!encrypted && (map.ContainsKey("key_format") || map.ContainsKey("key_location")))
                ok = Fail(node, path, "key_format and key_location only apply when encryption is on");
            if (encrypted && keyLocation is null && !map.ContainsKey("key_location"))
                ok = Fail(node, path, "an encrypted dataset needs key_location: file:///path/to/key (the daemon cannot answer a prompt)");
            return ok;
        }

        private SmbShare? ReadShare(IReadOnlyDictionary<string, YEntry> map, YNode node, string path)
        {
            var ok = true;

            var name = Required(map, node, path, "name", NameRules.CheckShareName);
            var sharePath = Required(map, node, path, "path", v => NameRules.CheckAbsolutePath(v, "share path") ?? MountTrees.SharePathSyntaxError(v));
            var readOnly = OptionalBool(map, path, "read_only");
            var guestOk = OptionalBool(map, path, "guest_ok");
            if ((map.ContainsKey("read_only") && readOnly is null) || (map.ContainsKey("guest_ok") && guestOk is null)) ok = false;

            var comment = Optional(map, path, "comment", ref ok);
            if (comment is not null && NameRules.CheckFreeText(comment, "comment") is { } commentError)
                ok = Fail(map["comment"].Value, path + ".comment", commentError);

            var users = ReadUsers(map, path, ref ok);
            if (name is null || sharePath is null || !ok) return null;
            return new SmbShare(name, sharePath, readOnly ?? false, users, comment ?? "", guestOk ?? false);
        }

        /// <summary>valid_users is a sequence, or one string of names separated by spaces or commas.</summary>
        private List<string> ReadUsers(IReadOnlyDictionary<string, YEntry> map, string path, ref bool ok)
        {
            var users = new List<string>();
            if (!map.TryGetValue("valid_users", out var entry)) return users;
            var usersPath = path + ".valid_users";
            var raw = new List<(YNode Node, string Path, string Value)>();
            if (entry.Value is YSequence seq)
            {
                for (var i = 0; i < seq.Items.Count; i++)
                {
                    var itemPath = $"{usersPath}[{i}]";
                    if (reader.String(seq.Items[i], itemPath, "a user") is { } u) raw.Add((seq.Items[i], itemPath, u));
                    else ok = false;
                }
            }
            else if (reader.String(entry.Value, usersPath, "valid_users") is { } text)
            {
                raw.AddRange(text.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries).Select(u => (entry.Value, usersPath, u)));
            }
            else
            {
                ok = false;
            }

            foreach (var (node, userPath, user) in raw)
            {
                if (NameRules.CheckUser(user) is { } why) ok = Fail(node, userPath, why);
                else users.Add(user);
            }

            return users;
        }

        private void CheckPools(List<Located<DesiredPool>> pools)
        {
            var names = new Dictionary<string, string>(StringComparer.Ordinal);
            var disks = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var pool in pools)
            {
                if (!names.TryAdd(pool.Value.Name, pool.Path))
                    reader.Error(pool.Node, pool.Path + ".name", $"duplicate pool name '{pool.Value.Name}' (also {names[pool.Value.Name]})");
                // A pool is only returned when every disk was valid, so disks[i] is the i-th sequence item.
                var items = ((YSequence)((YMapping)pool.Node).Entries.First(e => e.Key.Value == "disks").Value).Items;
                for (var i = 0; i < pool.Value.Disks.Count; i++)
                {
                    var disk = pool.Value.Disks[i];
                    var diskPath = $"{pool.Path}.disks[{i}]";
                    if (!disks.TryAdd(disk, diskPath))
                        reader.Error(items[i], diskPath, $"duplicate disk '{disk}' (also {disks[disk]})");
                }
            }
        }

        private void CheckDatasets(List<Located<DesiredDataset>> datasets, List<Located<DesiredPool>> pools)
        {
            var declaredPools = pools.Select(p => p.Value.Name).ToHashSet(StringComparer.Ordinal);
            var names = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var ds in datasets)
            {
                if (!names.TryAdd(ds.Value.Name, ds.Path))
                    reader.Error(ds.Node, ds.Path + ".name", $"duplicate dataset name '{ds.Value.Name}' (also {names[ds.Value.Name]})");
                var pool = ds.Value.Pool;
                if (poolsKnown && !declaredPools.Contains(pool) && !existingPools.Contains(pool))
                    reader.Error(ds.Node, ds.Path + ".name", $"dataset '{ds.Value.Name}' is not under a declared pool or an existing pool ('{pool}' is neither)");
            }
        }

        private void CheckShares(List<Located<SmbShare>> shares, List<Located<DesiredPool>> pools)
        {
            var knownPools = pools.Select(p => p.Value.Name).Concat(existingPools).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            // SMB share names are case-insensitive: 'Media' and 'media' would be one share.
            var names = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var share in shares)
            {
                if (!names.TryAdd(share.Value.Name, share.Path))
                    reader.Error(share.Node, share.Path + ".name", $"duplicate share name '{share.Value.Name}' (also {names[share.Value.Name]}; SMB share names ignore case)");
                // When the host's pools are unknown, only refused paths are checked (as for "dataset under an existing pool").
                if (trees.SharePathError(share.Value.Path, knownPools, checkTrees: poolsKnown) is { } pathError)
                    reader.Error(((YMapping)share.Node).Entries.First(e => e.Key.Value == "path").Value, share.Path + ".path", pathError);
            }
        }

        /// <summary>Reads a required string key; <paramref name="check"/> returns why a value is bad, or null.</summary>
        private string? Required(IReadOnlyDictionary<string, YEntry> map, YNode owner, string path, string key, Func<string, string?> check)
        {
            if (!map.TryGetValue(key, out var entry))
            {
                reader.Error(owner, path, $"missing required key '{key}'");
                return null;
            }

            var keyPath = YamlReader.Join(path, key);
            var value = reader.String(entry.Value, keyPath, key);
            if (value is null) return null;
            if (check(value) is not { } why) return value;
            reader.Error(entry.Value, keyPath, why);
            return null;
        }

        private string? Optional(IReadOnlyDictionary<string, YEntry> map, string path, string key, ref bool ok)
        {
            if (!map.TryGetValue(key, out var entry)) return null;
            var value = reader.String(entry.Value, YamlReader.Join(path, key), key);
            if (value is null) ok = false;
            return value;
        }

        /// <summary>An optional size key: null when absent; <paramref name="why"/> of the text when <paramref name="tryParse"/> refuses it.</summary>
        private long? OptionalSize(IReadOnlyDictionary<string, YEntry> map, string path, string key, TryParseSize tryParse, Func<string, string> why, ref bool ok)
        {
            if (Optional(map, path, key, ref ok) is not { } text) return null;
            if (tryParse(text, out var bytes)) return bytes;
            ok = Fail(map[key].Value, $"{path}.{key}", why(text));
            return null;
        }

        private bool? OptionalBool(IReadOnlyDictionary<string, YEntry> map, string path, string key) =>
            map.TryGetValue(key, out var entry) ? reader.Bool(entry.Value, YamlReader.Join(path, key), key) : null;

        private bool Fail(YNode node, string path, string message)
        {
            reader.Error(node, path, message);
            return false;
        }
    }

    private delegate bool TryParseSize(string text, out long bytes);

    private sealed record Located<T>(T Value, YNode Node, string Path);
}
