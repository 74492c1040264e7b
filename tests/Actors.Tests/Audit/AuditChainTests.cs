using System.Text;
using DPlaneOS.Actors.Audit;

namespace DPlaneOS.Actors.Tests.Audit;

/// <summary>The canonical encoding and HMAC of one record (pure, no Akka).</summary>
public sealed class AuditChainTests
{
    internal static readonly AuditKey Key = AuditKey.FromBytes(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray());
    private static readonly DateTimeOffset Time = new(2026, 1, 2, 3, 4, 5, 678, TimeSpan.Zero);

    private static AuditEntry Reserve() => new("admin", "POST /api/zfs/capacity/reserve", "/api/zfs/capacity/reserve",
        new Dictionary<string, string> { ["status"] = "200", ["route.pool"] = "tank" }, "127.0.0.1", true);

    [Fact]
    public void Known_answer_vectors_computed_independently_from_the_documented_encoding()
    {
        // Expected values come from a separate Python implementation of the encoding in AuditChain's remarks
        // (hmac.new(bytes(range(32)), b"".join(len(f).to_bytes(4, "big") + f for f in fields), sha256)).
        var first = AuditChain.Seal(Key, Reserve(), 1, Time, AuditChain.GenesisHash);
        Assert.Equal("169ba4fe8a477b9b950523194d10af423fb8bf25873bb8cdc581c3bbbcf77399", first.Hash);
        var second = AuditChain.Seal(Key, new AuditEntry("system", "docker.stopped", "web", new Dictionary<string, string>(), "vm", true), 2, Time, first.Hash);
        Assert.Equal("042fc4f1b6f5ea6a03a93cc65d76722d500aa46b200f8dfc04b0356ab4d03891", second.Hash);
        Assert.Equal(first.Hash, second.PreviousHash);
    }

    [Fact]
    public void Every_field_is_length_prefixed_big_endian_in_the_documented_order()
    {
        var record = AuditChain.Seal(Key, Reserve(), 1, Time, AuditChain.GenesisHash);
        var bytes = AuditChain.CanonicalBytes(record);
        var fields = new List<string>();
        for (var at = 0; at < bytes.Length;)
        {
            var length = (bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3];
            fields.Add(Encoding.UTF8.GetString(bytes, at + 4, length));
            at += 4 + length;
        }
        Assert.Equal(
            ["dplaneos.audit.v1", "1", "1767323045678", "admin", "POST /api/zfs/capacity/reserve", "/api/zfs/capacity/reserve",
             "2", "route.pool", "tank", "status", "200", "127.0.0.1", "true", AuditChain.GenesisHash],
            fields);
    }

    [Theory]
    [InlineData("a|b", "c", "a", "b|c")]
    [InlineData("ab", "c", "a", "bc")]
    [InlineData("", "abc", "abc", "")]
    public void Moving_text_between_fields_changes_the_hash(string actor1, string action1, string actor2, string action2)
    {
        // The original joined fields with '|', so these pairs had the same MAC.
        var a = AuditChain.Seal(Key, Reserve() with { Actor = actor1, Action = action1 }, 1, Time, AuditChain.GenesisHash);
        var b = AuditChain.Seal(Key, Reserve() with { Actor = actor2, Action = action2 }, 1, Time, AuditChain.GenesisHash);
        Assert.NotEqual(a.Hash, b.Hash);
    }

    [Fact]
    public void Moving_text_between_a_detail_key_and_its_value_changes_the_hash()
    {
        var a = AuditChain.Seal(Key, Reserve() with { Details = new Dictionary<string, string> { ["ab"] = "c" } }, 1, Time, AuditChain.GenesisHash);
        var b = AuditChain.Seal(Key, Reserve() with { Details = new Dictionary<string, string> { ["a"] = "bc" } }, 1, Time, AuditChain.GenesisHash);
        Assert.NotEqual(a.Hash, b.Hash);
    }

    [Fact]
    public void Detail_order_does_not_matter_but_every_field_does()
    {
        var forward = Reserve();
        var backward = forward with { Details = forward.Details.Reverse().ToDictionary() };
        var sealedForward = AuditChain.Seal(Key, forward, 7, Time, AuditChain.GenesisHash);
        Assert.Equal(sealedForward.Hash, AuditChain.Seal(Key, backward, 7, Time, AuditChain.GenesisHash).Hash);

        var variants = new[]
        {
            sealedForward with { Sequence = 8 },
            sealedForward with { Time = Time.AddMilliseconds(1) },
            sealedForward with { Actor = "admin2" },
            sealedForward with { Action = "POST /api/x" },
            sealedForward with { Resource = "/api/x" },
            sealedForward with { Details = new Dictionary<string, string> { ["status"] = "201", ["route.pool"] = "tank" } },
            sealedForward with { Source = "127.0.0.2" },
            sealedForward with { Success = false },
            sealedForward with { PreviousHash = new string('1', 64) },
        };
        Assert.All(variants, v => Assert.NotEqual(sealedForward.Hash, AuditChain.ComputeHash(Key, v)));
    }

    [Fact]
    public void Sealing_keeps_millisecond_precision_so_the_stored_record_verifies()
    {
        var record = AuditChain.Seal(Key, Reserve(), 1, Time.AddTicks(1234), AuditChain.GenesisHash);
        Assert.Equal(Time, record.Time);
        Assert.Equal(record.Hash, AuditChain.ComputeHash(Key, record));
    }

    [Fact]
    public void A_different_key_gives_a_different_hash_and_keys_must_be_32_bytes()
    {
        var other = AuditKey.FromBytes(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
        var record = AuditChain.Seal(Key, Reserve(), 1, Time, AuditChain.GenesisHash);
        Assert.NotEqual(record.Hash, AuditChain.ComputeHash(other, record));
        Assert.Throws<ArgumentException>(() => AuditKey.FromBytes(new byte[16]));
        Assert.DoesNotContain("0001020304", Key.ToString());
    }
}
