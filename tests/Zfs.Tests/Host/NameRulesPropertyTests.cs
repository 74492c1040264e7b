using CsCheck;
using GitOpsRules = DPlaneOS.Zfs.NameRules;

namespace DPlaneOS.Zfs.Tests.Host;

/// <summary>
/// Every check of a name that can reach a command line or smb.conf, over hostile strings: whatever a
/// check accepts has no control character, does not start with '-' (an option to the tool) and does
/// not end with a line break (.NET's '$' matches before a final '\n', so an unanchored check passed "tank\n").
/// </summary>
public sealed class NameRulesPropertyTests
{
    private static readonly string[] Bases =
    [
        "tank", "tank/a", "tank/a b", "s1", "media", "@users", "alice", "autotrim", "org.example:owner", "feature@async_destroy",
        "/dev/disk/by-id/ata-X_1", "/tank/media", "Family media", "c0", "mirror", "raidz2", "spare", "log",
    ];

    private static readonly Gen<char> Hostile = Gen.OneOf(
        Gen.Const('\n'), Gen.Const('\r'), Gen.Const('\t'), Gen.Const('\0'), Gen.Const('\u0085'), Gen.Const('\u2028'),
        Gen.Const('-'), Gen.Const('/'), Gen.Const(' '), Gen.Const('@'), Gen.Const(':'), Gen.Char['a', 'z']);

    /// <summary>A near-valid name with hostile characters before, inside or after it.</summary>
    private static readonly Gen<string> Names =
        Gen.Select(Gen.OneOf(Bases.Select(Gen.Const).ToArray()), Hostile.Array[0, 2], Hostile.Array[0, 2], Gen.Int[0, 3], Gen.Int[0, 100])
            .Select((name, before, after, where, at) => where switch
            {
                0 => new string(before) + name,
                1 => name + new string(after),
                2 => name.Insert(at % (name.Length + 1), new string(after)),
                _ => new string(before) + name + new string(after),
            });

    private static readonly (string Rule, Func<string, bool> Accepts)[] Rules =
    [
        ("Zfs.PoolNameError", n => NameRules.PoolNameError(n) is null),
        ("Zfs.DatasetNameError", n => NameRules.DatasetNameError(n) is null),
        ("Zfs.SnapshotNameError", n => NameRules.SnapshotNameError(n) is null),
        ("Zfs.RequireProperty", n => Accepts(() => NameRules.RequireProperty(n))),
        ("Zfs.RequireSnapshot", n => Accepts(() => NameRules.RequireSnapshot("tank", n))),
        ("GitOps.CheckPoolName", n => GitOpsRules.CheckPoolName(n) is null),
        ("GitOps.CheckDatasetName", n => GitOpsRules.CheckDatasetName(n) is null),
        ("GitOps.CheckShareName", n => GitOpsRules.CheckShareName(n) is null),
        ("GitOps.CheckDisk", n => GitOpsRules.CheckDisk(n) is null),
        ("GitOps.CheckUser", n => GitOpsRules.CheckUser(n) is null),
        ("GitOps.CheckPropertyName", n => GitOpsRules.CheckPropertyName(n) is null),
        ("GitOps.CheckAbsolutePath", n => GitOpsRules.CheckAbsolutePath(n, "path") is null),
    ];

    private static bool Accepts(Action check)
    {
        try
        {
            check();
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    [Fact]
    public void No_accepted_name_has_a_control_character_a_leading_dash_or_a_trailing_line_break()
    {
        var accepted = 0;
        Names.Sample(name =>
        {
            foreach (var (rule, accepts) in Rules)
            {
                if (!accepts(name)) continue;
                Interlocked.Increment(ref accepted);
                Assert.False(name.Any(char.IsControl), $"{rule} accepted a control character in {Show(name)}");
                Assert.False(name.StartsWith('-'), $"{rule} accepted the leading '-' of {Show(name)}");
                Assert.False(name.EndsWith('\n'), $"{rule} accepted the trailing line break of {Show(name)}");
            }
        }, iter: 20_000, print: Show);
        Assert.True(accepted > 0, "the generator never produced an accepted name");
    }

    [Fact]
    public void Both_rule_sets_agree_on_pool_names()
    {
        Names.Sample(name =>
            Assert.True((NameRules.PoolNameError(name) is null) == (GitOpsRules.CheckPoolName(name) is null),
                $"{Show(name)}: Zfs says {NameRules.PoolNameError(name) ?? "ok"}, GitOps says {GitOpsRules.CheckPoolName(name) ?? "ok"}"),
            iter: 20_000, print: Show);
    }

    [Theory]
    [InlineData("tank\n")]
    [InlineData("tank\r\n")]
    [InlineData("-tank")]
    [InlineData("mirror")]
    [InlineData("mirror2")]
    [InlineData("raidz9")]
    [InlineData("draid1")]
    [InlineData("spare")]
    [InlineData("spares")]
    [InlineData("log")]
    [InlineData("c0d1")]
    public void Pool_names_both_refuse(string name)
    {
        Assert.NotNull(NameRules.PoolNameError(name));
        Assert.NotNull(GitOpsRules.CheckPoolName(name));
    }

    [Theory]
    [InlineData("tank")]
    [InlineData("logs")]
    [InlineData("cachepool")]
    [InlineData("dedupe")]
    public void Pool_names_both_accept(string name)
    {
        Assert.Null(NameRules.PoolNameError(name));
        Assert.Null(GitOpsRules.CheckPoolName(name));
    }

    [Fact]
    public void A_trailing_line_break_is_refused_by_every_zfs_name_check()
    {
        Assert.NotNull(NameRules.DatasetNameError("tank/a\n"));
        Assert.NotNull(NameRules.SnapshotNameError("s1\n"));
        Assert.Throws<ArgumentException>(() => NameRules.RequireProperty("quota\n"));
        Assert.NotNull(GitOpsRules.CheckPropertyName("autotrim\n"));
        Assert.NotNull(GitOpsRules.CheckPropertyName("org.example:owner\n"));
        Assert.NotNull(GitOpsRules.CheckPropertyName("-o:x"));
    }

    private static string Show(string name) => System.Text.Json.JsonSerializer.Serialize(name);
}
