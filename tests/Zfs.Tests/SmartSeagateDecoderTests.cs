using DPlaneOS.Zfs.Smart;

namespace DPlaneOS.Zfs.Tests;

public sealed class SmartSeagateDecoderTests
{
    [Theory]
    [InlineData("ST3000NM0033-9ZM178", true)]
    [InlineData("ST3500418AS", true)]
    [InlineData("Seagate FireCuda 530 ZP4000GM30023", true)]
    [InlineData("WDC WD181KRYZ-01AGBB0", false)]
    [InlineData("STEC something", false)]
    [InlineData(null, false)]
    public void Recognises_seagate_models(string? model, bool expected) =>
        Assert.Equal(expected, SeagateRawDecoder.IsSeagate(model));

    [Fact]
    public void Command_timeout_17180131332_is_three_counters_of_4()
    {
        Assert.Equal(new SeagateCommandTimeouts(4, 4, 4), SeagateRawDecoder.DecodeCommandTimeouts(17180131332));
        Assert.Equal(new SeagateCommandTimeouts(1, 1, 1), SeagateRawDecoder.DecodeCommandTimeouts(4295032833));
        Assert.Equal(new SeagateCommandTimeouts(4, 2, 2), SeagateRawDecoder.DecodeCommandTimeouts(8590065668));
    }

    [Fact]
    public void Seek_error_rate_splits_errors_and_operations()
    {
        Assert.Equal(new SeagateErrorRate(2988, 853696525), SeagateRawDecoder.DecodeErrorRate(12834215976973));
        Assert.Equal(new SeagateErrorRate(0, 1788942287), SeagateRawDecoder.DecodeErrorRate(1788942287));
        Assert.Equal(new SeagateErrorRate(0, 35422734), SeagateRawDecoder.DecodeErrorRate(35422734));
    }

    [Fact]
    public void Effective_raw_from_fixtures()
    {
        var constellation = SmartctlJsonParser.Parse(Fixture.Read("smart/smartctl-json-sat-seagate-st3000nm0033-packed-raw-1-7-188.json")).Value;
        Assert.Equal(4, SeagateRawDecoder.EffectiveRaw(constellation.Attribute(188)!, constellation.IsSeagate));
        Assert.Equal(0, SeagateRawDecoder.EffectiveRaw(constellation.Attribute(1)!, true));
        Assert.Equal(0, SeagateRawDecoder.EffectiveRaw(constellation.Attribute(7)!, true));
        Assert.Equal(1, SeagateRawDecoder.EffectiveRaw(constellation.Attribute(5)!, true));

        var barracuda = SmartctlJsonParser.Parse(Fixture.Read("smart/smartctl-json-sat-seagate-st3500418as-reallocated-304-huge-seek-raw.json")).Value;
        Assert.Equal(2988, SeagateRawDecoder.EffectiveRaw(barracuda.Attribute(7)!, barracuda.IsSeagate));
        Assert.Equal(0, SeagateRawDecoder.EffectiveRaw(barracuda.Attribute(1)!, true));
        Assert.Equal(304, SeagateRawDecoder.EffectiveRaw(barracuda.Attribute(5)!, true));
    }

    [Fact]
    public void Non_seagate_raw_is_untouched()
    {
        var attribute = new AtaAttribute(188, "Command_Timeout", 100, 100, 0, 17180131332, "17180131332", null);
        Assert.Equal(17180131332, SeagateRawDecoder.EffectiveRaw(attribute, isSeagate: false));
    }
}
