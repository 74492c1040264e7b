using System.Text;
using System.Text.Json;
using DPlaneOS.Actors.Audit;

namespace DPlaneOS.Actors.Tests.Audit;

/// <summary>The tail anchor's encoding and MAC, and the file it lives in.</summary>
public sealed class AuditAnchorTests
{
    private static readonly AuditKey Key = AuditChainTests.Key;
    private static readonly AuditHead Head = new(42, string.Concat(Enumerable.Repeat("ab", 32)));

    private static string TempDir() => Directory.CreateTempSubdirectory("dplaned-anchor-").FullName;

    [Fact]
    public void The_mac_matches_an_independent_implementation_of_the_documented_encoding()
    {
        // python3: hmac.new(bytes(range(32)), b"".join(len(f).to_bytes(4, "big") + f for f in
        //   [b"dplaneos.audit.anchor.v1", b"42", b"ab" * 32]), sha256).hexdigest()
        Assert.Equal("56b4db11b8eaf6aceac9eccab23ab00540427907267a231f6774f5a5c82cc55c", AuditAnchor.Mac(Key, Head));
    }

    [Fact]
    public void An_encoded_anchor_reads_back_as_valid_json_with_its_three_fields()
    {
        var bytes = AuditAnchor.Encode(Key, Head);
        var json = JsonDocument.Parse(bytes).RootElement;
        Assert.Equal(42, json.GetProperty("sequence").GetInt64());
        Assert.Equal(Head.Hash, json.GetProperty("hash").GetString());
        Assert.Equal(AuditAnchor.Mac(Key, Head), json.GetProperty("mac").GetString());
        Assert.Equal(new AuditAnchorReading.Valid(Head), AuditAnchor.Decode(Key, bytes));
    }

    [Theory]
    [InlineData("sequence", "41")]
    [InlineData("sequence", "43")]
    [InlineData("hash", "\"cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd\"")]
    [InlineData("mac", "\"0000000000000000000000000000000000000000000000000000000000000000\"")]
    public void An_edited_field_is_a_mac_mismatch_that_still_says_what_the_file_claims(string field, string value)
    {
        var json = Encoding.UTF8.GetString(AuditAnchor.Encode(Key, Head));
        var node = System.Text.Json.Nodes.JsonNode.Parse(json)!;
        node[field] = System.Text.Json.Nodes.JsonNode.Parse(value);
        var reading = Assert.IsType<AuditAnchorReading.Invalid>(AuditAnchor.Decode(Key, Encoding.UTF8.GetBytes(node.ToJsonString())));
        Assert.StartsWith("MAC mismatch", reading.Problem);
        Assert.NotNull(reading.Sequence);
        Assert.NotNull(reading.Hash);
    }

    [Fact]
    public void An_anchor_made_with_another_key_is_invalid()
    {
        var other = AuditKey.FromBytes(Enumerable.Repeat((byte)9, 32).ToArray());
        Assert.IsType<AuditAnchorReading.Invalid>(AuditAnchor.Decode(Key, AuditAnchor.Encode(other, Head)));
    }

    [Theory]
    [InlineData("", "not valid JSON")]
    [InlineData("{\"sequence\": 42, \"hash\": ", "not valid JSON")]
    [InlineData("[1,2]", "not a JSON object")]
    [InlineData("{\"sequence\": \"42\", \"hash\": \"x\", \"mac\": \"y\"}", "a field is missing")]
    [InlineData("{\"sequence\": -1, \"hash\": \"x\", \"mac\": \"y\"}", "a field is missing")]
    [InlineData("{\"hash\": \"x\", \"mac\": \"y\"}", "a field is missing")]
    public void Unreadable_content_is_invalid_with_a_reason(string content, string problem)
    {
        var reading = Assert.IsType<AuditAnchorReading.Invalid>(AuditAnchor.Decode(Key, Encoding.UTF8.GetBytes(content)));
        Assert.StartsWith(problem, reading.Problem);
    }

    [Fact]
    public void The_file_is_missing_then_written_0600_and_read_back_and_a_torn_temp_file_is_ignored()
    {
        var file = AuditAnchorFile.InDataDir(TempDir(), Key);
        Assert.Same(AuditAnchorReading.Missing.Instance, file.Read());

        file.Write(Head);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file.Path));
        Assert.Equal(new AuditAnchorReading.Valid(Head), file.Read());

        // A crash in the middle of a write leaves half a temp file: it is never read ...
        File.WriteAllText(file.Path + ".tmp", "{\"sequence\": 43, \"ha");
        File.SetUnixFileMode(file.Path + ".tmp", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        Assert.Equal(new AuditAnchorReading.Valid(Head), file.Read());
        // ... and the next write replaces it (created anew: 0600 again).
        var next = new AuditHead(43, string.Concat(Enumerable.Repeat("cd", 32)));
        file.Write(next);
        Assert.Equal(new AuditAnchorReading.Valid(next), file.Read());
        Assert.False(File.Exists(file.Path + ".tmp"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file.Path));
    }

    [Fact]
    public void A_hand_edited_file_and_an_unreadable_one_are_invalid()
    {
        var file = AuditAnchorFile.InDataDir(TempDir(), Key);
        file.Write(Head);
        File.WriteAllText(file.Path, File.ReadAllText(file.Path).Replace("42", "40", StringComparison.Ordinal));
        Assert.StartsWith("MAC mismatch", Assert.IsType<AuditAnchorReading.Invalid>(file.Read()).Problem);

        // A directory where the file should be cannot be read as one.
        var blocked = AuditAnchorFile.InDataDir(TempDir(), Key);
        Directory.CreateDirectory(blocked.Path);
        Assert.StartsWith("cannot be read", Assert.IsType<AuditAnchorReading.Invalid>(blocked.Read()).Problem);
    }
}
