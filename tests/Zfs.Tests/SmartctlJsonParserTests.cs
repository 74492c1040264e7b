using DPlaneOS.Zfs.Smart;

namespace DPlaneOS.Zfs.Tests;

public sealed class SmartctlJsonParserTests
{
    private static SmartReport Ok(string file)
    {
        var result = SmartctlJsonParser.Parse(Fixture.Read("smart/" + file));
        Assert.True(result.IsOk, result.ToString());
        return result.Value;
    }

    [Fact]
    public void Healthy_wd_hdd()
    {
        var r = Ok("smartctl-json-all-sat-hdd-healthy-wdc-wd181kryz.json");
        Assert.Equal("/dev/sda", r.Device);
        Assert.Equal(SmartProtocol.Ata, r.Protocol);
        Assert.Equal("WDC WD181KRYZ-01AGBB0", r.Model);
        Assert.Equal("REDACTED", r.Serial);
        Assert.True(r.Passed);
        Assert.Equal(0, r.ExitStatus);
        Assert.Empty(r.Messages);
        Assert.Equal(49, r.TemperatureCelsius);
        Assert.Equal(8244, r.PowerOnHours);
        Assert.Equal(18, r.Attributes.Count);
        Assert.Equal(new AtaAttribute(5, "Reallocated_Sector_Ct", 100, 100, 1, 0, "0", null), r.Attribute(5));
        Assert.Equal(new AtaAttribute(194, "Temperature_Celsius", 43, 43, 0, 240519741489, "49 (Min/Max 24/56)", null), r.Attribute(194));
        Assert.Null(r.Attribute(187));
        Assert.Null(r.Nvme);
        Assert.False(r.IsSeagate);
    }

    [Fact]
    public void Failing_jmicron_hdd_is_data_not_unavailable()
    {
        var r = Ok("smartctl-json-a-ata-hdd-failing-reallocated-pending-usbjmicron.json");
        Assert.Equal("/dev/sdc", r.Device);
        Assert.Equal(SmartProtocol.Ata, r.Protocol);
        Assert.Equal("Hitachi HDS721050DLE630", r.Model);
        Assert.Equal("MSK423Y20S3HBC", r.Serial);
        Assert.False(r.Passed);
        Assert.Equal(216, r.ExitStatus);
        Assert.False(SmartExitStatus.IsUnreadable(r.ExitStatus));
        Assert.True(SmartExitStatus.HasHealthFindings(r.ExitStatus));
        Assert.Equal(
            ["SMART status: disk failing", "prefail attributes at or below threshold", "device error log has errors", "self-test log has errors"],
            SmartExitStatus.Describe(r.ExitStatus));
        Assert.Equal(25, r.TemperatureCelsius);
        Assert.Equal(65592, r.PowerOnHours);
        Assert.Equal(new AtaAttribute(5, "Reallocated_Sector_Ct", 1, 1, 5, 1975, "1975", "now"), r.Attribute(5));
        Assert.Equal(8, r.Attribute(197)!.RawValue);
        Assert.Equal(3831, r.Attribute(196)!.RawValue);
        Assert.Equal(0, r.Attribute(198)!.RawValue);
        Assert.Equal(17, r.Attributes.Count);
    }

    [Fact]
    public void Megaraid_attribute_check_warning()
    {
        var r = Ok("smartctl-json-a-megaraid-ata-reallocated-prefail-warning-exit4.json");
        Assert.Equal("/dev/sda", r.Device);
        Assert.Equal("WD4000FYYX", r.Model);
        Assert.Equal("XXXXXXXXXXXX", r.Serial);
        Assert.True(r.Passed);
        Assert.Equal(4, r.ExitStatus);
        Assert.Equal(["a SMART command failed or a SMART structure had a checksum error"], SmartExitStatus.Describe(4));
        Assert.False(SmartExitStatus.HasHealthFindings(4));
        Assert.Equal(["Warning: This result is based on an Attribute check."], r.Messages);
        Assert.Equal(36, r.TemperatureCelsius);
        Assert.Equal(37788, r.PowerOnHours);
        Assert.Equal(new AtaAttribute(5, "Reallocated_Sector_Ct", 188, 188, 140, 387, "387", null), r.Attribute(5));
        Assert.Equal(9, r.Attribute(196)!.RawValue);
        Assert.Equal(3920560799278, r.Attribute(241)!.RawValue);
    }

    [Fact]
    public void Seagate_constellation_packed_raws()
    {
        var r = Ok("smartctl-json-sat-seagate-st3000nm0033-packed-raw-1-7-188.json");
        Assert.Equal("/dev/sdc", r.Device);
        Assert.Equal("ST3000NM0033-9ZM178", r.Model);
        Assert.True(r.IsSeagate);
        Assert.True(r.Passed);
        Assert.Equal(0, r.ExitStatus);
        Assert.Equal(22, r.TemperatureCelsius);
        Assert.Equal(57744, r.PowerOnHours);
        Assert.Equal(35422734, r.Attribute(1)!.RawValue);
        Assert.Equal(1788942287, r.Attribute(7)!.RawValue);
        Assert.Equal(new AtaAttribute(188, "Command_Timeout", 100, 99, 0, 17180131332, "17180131332", null), r.Attribute(188));
        Assert.Equal("22 (0 18 0 0 0)", r.Attribute(194)!.RawString);
        Assert.Equal(1, r.Attribute(5)!.RawValue);
    }

    [Fact]
    public void Seagate_barracuda_huge_seek_raw()
    {
        var r = Ok("smartctl-json-sat-seagate-st3500418as-reallocated-304-huge-seek-raw.json");
        Assert.Equal("/dev/sda", r.Device);
        Assert.Equal("ST3500418AS", r.Model);
        Assert.True(r.Passed);
        Assert.Equal(33, r.TemperatureCelsius);
        Assert.Equal(44668, r.PowerOnHours);
        Assert.Equal(304, r.Attribute(5)!.RawValue);
        Assert.Equal(12834215976973, r.Attribute(7)!.RawValue);
        Assert.Equal("122811 (109 12 0)", r.Attribute(240)!.RawString);
    }

    [Fact]
    public void Ssd_without_thresholds_reads_threshold_zero()
    {
        var r = Ok("smartctl-json-all-sata-ssd-healthy-wd-red-sa500.json");
        Assert.Equal("/dev/sdc", r.Device);
        Assert.Equal("WDC  WDS400T1R0A-68A4W0", r.Model);
        Assert.True(r.Passed);
        Assert.Equal(27, r.TemperatureCelsius);
        Assert.Equal(8244, r.PowerOnHours);
        Assert.Equal(25, r.Attributes.Count);
        Assert.Equal(new AtaAttribute(5, "Reallocated_Sector_Ct", 100, 100, 0, 0, "0", null), r.Attribute(5));
        Assert.Equal(4, r.Attribute(232)!.Threshold);
        Assert.Equal(0, r.Attribute(187)!.RawValue);
    }

    [Fact]
    public void Samsung_860_evo_x_output()
    {
        var r = Ok("smartctl-json-x-sata-ssd-samsung-860evo.json");
        Assert.Equal("Samsung SSD 860 EVO 500GB", r.Model);
        Assert.Equal("S3YZNB0KB00864E", r.Serial);
        Assert.True(r.Passed);
        Assert.Equal(36, r.TemperatureCelsius);
        Assert.Equal(14551, r.PowerOnHours);
        Assert.Equal(14, r.Attributes.Count);
        Assert.Equal(278, r.Attribute(177)!.RawValue);
    }

    [Fact]
    public void Healthy_nvme()
    {
        var r = Ok("smartctl-json-all-nvme-healthy-seagate-firecuda530.json");
        Assert.Equal("/dev/nvme0", r.Device);
        Assert.Equal(SmartProtocol.Nvme, r.Protocol);
        Assert.Equal("Seagate FireCuda 530 ZP4000GM30023", r.Model);
        Assert.True(r.Passed);
        Assert.Equal(39, r.TemperatureCelsius);
        Assert.Equal(3113, r.PowerOnHours);
        Assert.Empty(r.Attributes);
        Assert.Equal(new NvmeHealth(0, 0, 0, 100, 5, 4, 1), r.Nvme);
    }

    [Fact]
    public void Nvme_with_media_errors()
    {
        var r = Ok("smartctl-json-x-nvme-media-errors-samsung-970evo.json");
        Assert.Equal("Samsung SSD 970 EVO 500GB", r.Model);
        Assert.Equal("S466NX0M776250H", r.Serial);
        Assert.True(r.Passed);
        Assert.Equal(35, r.TemperatureCelsius);
        Assert.Equal(12798, r.PowerOnHours);
        Assert.Equal(new NvmeHealth(0, 7, 3, 99, 10, 62, 10), r.Nvme);
    }

    [Fact]
    public void Nvme_critical_warning_failed()
    {
        var r = Ok("smartctl-json-nvme-critical-warning-0x10-failed-samsung-mzwll3t2.json");
        Assert.Equal("SAMSUNG MZWLL3T2HAJQ-00005", r.Model);
        Assert.False(r.Passed);
        Assert.Equal(8, r.ExitStatus);
        Assert.True(SmartExitStatus.Has(r.ExitStatus, SmartExitStatus.DiskFailing));
        Assert.Equal(40, r.TemperatureCelsius);
        Assert.Equal(18376, r.PowerOnHours);
        Assert.Equal(new NvmeHealth(16, 0, 0, 100, 10, 0, 4), r.Nvme);
    }

    [Theory]
    [InlineData("smartctl-json-a-error-unable-to-detect-device-type-virtio.json", "/dev/vda: Unable to detect device type", 1)]
    [InlineData("smartctl-json-a-error-no-such-device.json", "Smartctl open device: /dev/sdz failed: No such device", 2)]
    public void Unreadable_device_is_a_fail_with_smartctls_message(string file, string message, int exit)
    {
        var result = SmartctlJsonParser.Parse(Fixture.Read("smart/" + file));
        Assert.False(result.IsOk);
        Assert.StartsWith(message, result.Error.Message);
        Assert.Contains($"exit status {exit}", result.Error.Message);
        Assert.True(SmartExitStatus.IsUnreadable(exit));
    }

    [Fact]
    public void Exit_status_bits()
    {
        Assert.Empty(SmartExitStatus.Describe(0));
        Assert.True(SmartExitStatus.IsUnreadable(SmartExitStatus.CommandLineError));
        Assert.True(SmartExitStatus.IsUnreadable(SmartExitStatus.DeviceOpenFailed));
        Assert.False(SmartExitStatus.IsUnreadable(0xFC));
        Assert.False(SmartExitStatus.HasHealthFindings(0x07));
        foreach (var bit in new[] { 8, 16, 32, 64, 128 }) Assert.True(SmartExitStatus.HasHealthFindings(bit));
        Assert.Equal(8, SmartExitStatus.Describe(0xFF).Count);
    }

    [Fact]
    public void Ok_only_with_device_data_even_when_exit_is_zero()
    {
        var result = SmartctlJsonParser.Parse("""{"smartctl":{"exit_status":0}}""");
        Assert.False(result.IsOk);
        Assert.Contains("no device data", result.Error.Message);
    }

    [Fact]
    public void Nvme_counter_beyond_64_bits_saturates()
    {
        var json = """{"device":{"name":"/dev/nvme0","protocol":"NVMe"},"model_name":"X","nvme_smart_health_information_log":{"media_errors":340282366920938463463374607431768211455}}""";
        var r = SmartctlJsonParser.Parse(json).Value;
        Assert.Equal(long.MaxValue, r.Nvme!.MediaErrors);
    }
}
