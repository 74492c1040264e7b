using CsCheck;
using DPlaneOS.Zfs.Samba;
using DPlaneOS.Zfs.Smart;

namespace DPlaneOS.Zfs.Tests;

/// <summary>Garbage in must come out as a ParseError, never as an exception.</summary>
public sealed class SmartCorruptionTests
{
    private const string Healthy = "smart/smartctl-json-all-sat-hdd-healthy-wdc-wd181kryz.json";

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("not json at all")]
    [InlineData("[1,2,3]")]
    [InlineData("42")]
    [InlineData("null")]
    [InlineData("{\"model_name\": 12}")]
    [InlineData("{\"model_name\": \"X\", \"temperature\": {\"current\": \"hot\"}}")]
    [InlineData("{\"model_name\": \"X\", \"smart_status\": {\"passed\": \"yes\"}}")]
    [InlineData("{\"model_name\": \"X\", \"ata_smart_attributes\": {\"table\": [{\"id\": \"five\"}]}}")]
    [InlineData("{\"model_name\": \"X\", \"ata_smart_attributes\": {\"table\": [{\"id\": 5, \"raw\": {\"value\": 1.5}}]}}")]
    [InlineData("{\"model_name\": \"X\", \"ata_smart_attributes\": {\"table\": [5]}}")]
    [InlineData("{\"model_name\": \"X\", \"smartctl\": {\"exit_status\": 99999999999}}")]
    [InlineData("{\"model_name\": \"X\", \"nvme_smart_health_information_log\": []}")]
    public void Bad_smartctl_input_fails(string json)
    {
        var result = SmartctlJsonParser.Parse(json);
        Assert.False(result.IsOk);
        Assert.Equal("smartctl --json", result.Error.Source);
    }

    [Fact]
    public void Truncated_fixture_fails()
    {
        var json = Fixture.Read(Healthy);
        Assert.False(SmartctlJsonParser.Parse(json[..(json.Length / 2)]).IsOk);
    }

    public static TheoryData<string> AllJsonFixtures()
    {
        var data = new TheoryData<string>();
        foreach (var dir in new[] { "smart", "smb" })
            foreach (var path in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Fixtures", dir), "*.json"))
                data.Add(dir + "/" + Path.GetFileName(path));
        return data;
    }

    [Theory]
    [MemberData(nameof(AllJsonFixtures))]
    public void Every_truncation_of_every_fixture_never_throws(string file)
    {
        var text = Fixture.Read(file);
        for (var length = 0; length < text.Length; length += Math.Max(1, text.Length / 300))
        {
            var prefix = text[..length];
            _ = SmartctlJsonParser.Parse(prefix);
            _ = SmbStatusParser.Parse(prefix);
        }
    }

    [Fact]
    public void Random_strings_never_throw()
    {
        Gen.String.Sample(s =>
        {
            _ = SmartctlJsonParser.Parse(s);
            _ = SmbStatusParser.Parse(s);
            _ = Parsing.ZfsGetParser.Parse(s);
        }, iter: 2000);
    }

    [Fact]
    public void Random_bytes_decoded_as_text_never_throw()
    {
        Gen.Byte.Array[0, 512].Sample(bytes =>
        {
            var s = System.Text.Encoding.Latin1.GetString(bytes);
            _ = SmartctlJsonParser.Parse(s);
            _ = SmbStatusParser.Parse(s);
            _ = Parsing.ZfsGetParser.Parse(s);
        }, iter: 2000);
    }

    [Fact]
    public void Fixture_with_random_character_mutations_never_throws()
    {
        var text = Fixture.Read(Healthy);
        Gen.Select(Gen.Int[0, text.Length - 1], Gen.Char).Sample((at, c) =>
        {
            var mutated = string.Concat(text.AsSpan(0, at), c.ToString(), text.AsSpan(at + 1));
            var result = SmartctlJsonParser.Parse(mutated);
            Assert.True(result.IsOk || result.Error is not null);
        }, iter: 1000);
    }

    [Fact]
    public void Lone_surrogate_does_not_throw()
    {
        _ = SmartctlJsonParser.Parse("{\"model_name\": \"\ud800\"}");
        _ = SmbStatusParser.Parse("{\"version\": \"\udc00\"}");
    }
}
