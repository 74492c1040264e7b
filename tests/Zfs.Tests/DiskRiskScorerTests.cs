using DPlaneOS.Zfs.Smart;

namespace DPlaneOS.Zfs.Tests;

public sealed class DiskRiskScorerTests
{
    private static SmartReport Smart(string file) =>
        SmartctlJsonParser.Parse(Fixture.Read("smart/" + file)).Value;

    private static readonly VdevErrorCounts Clean = new(0, 0, 0, "ONLINE");

    [Theory]
    [InlineData("smartctl-json-all-sat-hdd-healthy-wdc-wd181kryz.json")]
    [InlineData("smartctl-json-all-sata-ssd-healthy-wd-red-sa500.json")]
    [InlineData("smartctl-json-x-sata-ssd-samsung-860evo.json")]
    [InlineData("smartctl-json-all-nvme-healthy-seagate-firecuda530.json")]
    public void Healthy_disks_score_zero_with_no_reasons(string file)
    {
        var risk = DiskRiskScorer.Score(Smart(file), Clean);
        Assert.Equal(0, risk.Score);
        Assert.Equal(RiskLevel.Low, risk.Level);
        Assert.Empty(risk.Reasons);
    }

    [Fact]
    public void Healthy_seagate_is_low_despite_packed_raws()
    {
        var risk = DiskRiskScorer.Score(Smart("smartctl-json-sat-seagate-st3000nm0033-packed-raw-1-7-188.json"), Clean);
        Assert.Equal(RiskLevel.Low, risk.Level);
        Assert.Equal(15, risk.Score);
        Assert.Equal(["+10: 1 reallocated sectors (ATA 5)", "+5: 4 command timeouts (ATA 188)"], risk.Reasons);
    }

    [Fact]
    public void Failing_jmicron_is_critical()
    {
        var risk = DiskRiskScorer.Score(Smart("smartctl-json-a-ata-hdd-failing-reallocated-pending-usbjmicron.json"), null);
        Assert.Equal(100, risk.Score);
        Assert.Equal(RiskLevel.Critical, risk.Level);
        Assert.Contains("+80: SMART overall health self-assessment FAILED", risk.Reasons);
        Assert.Contains("+70: 1975 reallocated sectors (ATA 5)", risk.Reasons);
        Assert.Contains("+30: 8 pending sectors (ATA 197)", risk.Reasons);
        Assert.Contains("+40: self-test log has errors (exit bit 7)", risk.Reasons);
        Assert.DoesNotContain(risk.Reasons, r => r.Contains("exit bit 3"));
    }

    [Fact]
    public void Megaraid_with_387_reallocated_is_high()
    {
        var risk = DiskRiskScorer.Score(Smart("smartctl-json-a-megaraid-ata-reallocated-prefail-warning-exit4.json"), Clean);
        Assert.Equal(55, risk.Score);
        Assert.Equal(RiskLevel.High, risk.Level);
        Assert.Equal(["+50: 387 reallocated sectors (ATA 5)", "+5: 9 reallocation events (ATA 196)"], risk.Reasons);
    }

    [Fact]
    public void Barracuda_seek_raw_does_not_count_but_304_reallocated_does()
    {
        var risk = DiskRiskScorer.Score(Smart("smartctl-json-sat-seagate-st3500418as-reallocated-304-huge-seek-raw.json"), Clean);
        Assert.Equal(50, risk.Score);
        Assert.Equal(RiskLevel.High, risk.Level);
        Assert.Equal(["+50: 304 reallocated sectors (ATA 5)"], risk.Reasons);
    }

    [Fact]
    public void Nvme_critical_warning_0x10_is_critical()
    {
        var risk = DiskRiskScorer.Score(Smart("smartctl-json-nvme-critical-warning-0x10-failed-samsung-mzwll3t2.json"), Clean);
        Assert.Equal(RiskLevel.Critical, risk.Level);
        Assert.Equal(100, risk.Score);
        Assert.Contains(risk.Reasons, r => r.StartsWith("+80: NVMe critical warning 0x10", StringComparison.Ordinal));
    }

    [Fact]
    public void Nvme_critical_warning_alone_is_critical()
    {
        var nvme = Smart("smartctl-json-nvme-critical-warning-0x10-failed-samsung-mzwll3t2.json") with { Passed = true, ExitStatus = 0 };
        Assert.Equal(RiskLevel.Critical, DiskRiskScorer.Score(nvme, null).Level);
    }

    [Fact]
    public void Nvme_media_errors_7_is_at_least_medium()
    {
        var risk = DiskRiskScorer.Score(Smart("smartctl-json-x-nvme-media-errors-samsung-970evo.json"), Clean);
        Assert.True(risk.Level >= RiskLevel.Medium);
        Assert.Equal(30, risk.Score);
        Assert.Equal(["+30: 7 NVMe media errors"], risk.Reasons);
    }

    [Fact]
    public void Nvme_spare_below_threshold_and_wear()
    {
        var smart = Smart("smartctl-json-all-nvme-healthy-seagate-firecuda530.json");
        var worn = smart with { Nvme = smart.Nvme! with { AvailableSpare = 3, PercentageUsed = 104 } };
        var risk = DiskRiskScorer.Score(worn, null);
        Assert.Equal(80, risk.Score);
        Assert.Equal(RiskLevel.Critical, risk.Level);
    }

    [Theory]
    [InlineData(54, 0)]
    [InlineData(55, 5)]
    [InlineData(60, 15)]
    [InlineData(71, 30)]
    public void Temperature_bands(int celsius, int expected)
    {
        var smart = Smart("smartctl-json-all-sat-hdd-healthy-wdc-wd181kryz.json") with { TemperatureCelsius = celsius };
        Assert.Equal(expected, DiskRiskScorer.Score(smart, null).Score);
    }

    [Fact]
    public void Zfs_counters_raise_the_score()
    {
        var smart = Smart("smartctl-json-all-sat-hdd-healthy-wdc-wd181kryz.json");
        Assert.Equal(0, DiskRiskScorer.Score(smart, Clean).Score);
        Assert.Equal(RiskLevel.Medium, DiskRiskScorer.Score(smart, Clean with { Checksum = 1 }).Level);
        Assert.Equal(10, DiskRiskScorer.Score(smart, Clean with { Read = 3 }).Score);
        var heavy = DiskRiskScorer.Score(smart, new VdevErrorCounts(65, 203, 0, "ONLINE"));
        Assert.Equal(65, heavy.Score);
        Assert.Equal(["+25: 65 ZFS read errors", "+40: 203 ZFS write errors"], heavy.Reasons);
        Assert.Equal(RiskLevel.Critical, DiskRiskScorer.Score(smart, new VdevErrorCounts(0, 0, 8219, "ONLINE") with { Read = 200 }).Level);
    }

    [Theory]
    [InlineData("FAULTED")]
    [InlineData("UNAVAIL")]
    [InlineData("REMOVED")]
    public void Lost_vdev_is_critical_even_without_smart(string state)
    {
        var risk = DiskRiskScorer.Score(null, new VdevErrorCounts(0, 0, 0, state));
        Assert.Equal(100, risk.Score);
        Assert.Equal(RiskLevel.Critical, risk.Level);
        Assert.Equal([$"+100: ZFS vdev {state}"], risk.Reasons);
    }

    [Fact]
    public void Degraded_vdev_is_high() =>
        Assert.Equal(RiskLevel.High, DiskRiskScorer.Score(null, new VdevErrorCounts(0, 0, 0, "DEGRADED")).Level);

    [Fact]
    public void Exit_bit_3_counts_when_no_status_was_reported()
    {
        var smart = Smart("smartctl-json-all-sat-hdd-healthy-wdc-wd181kryz.json") with { Passed = null, ExitStatus = SmartExitStatus.DiskFailing };
        Assert.Equal(RiskLevel.Critical, DiskRiskScorer.Score(smart, null).Level);
    }

    [Fact]
    public void Nothing_known_is_low_and_score_is_clamped()
    {
        Assert.Equal(0, DiskRiskScorer.Score(null, null).Score);
        var worst = Smart("smartctl-json-a-ata-hdd-failing-reallocated-pending-usbjmicron.json");
        Assert.Equal(100, DiskRiskScorer.Score(worst, new VdevErrorCounts(1000, 1000, 1000, "FAULTED")).Score);
    }

    [Theory]
    [InlineData(0, RiskLevel.Low)]
    [InlineData(19, RiskLevel.Low)]
    [InlineData(20, RiskLevel.Medium)]
    [InlineData(49, RiskLevel.Medium)]
    [InlineData(50, RiskLevel.High)]
    [InlineData(79, RiskLevel.High)]
    [InlineData(80, RiskLevel.Critical)]
    public void Level_thresholds(int score, RiskLevel level) => Assert.Equal(level, DiskRiskScorer.LevelFor(score));

    [Fact]
    public void Deterministic()
    {
        var smart = Smart("smartctl-json-a-megaraid-ata-reallocated-prefail-warning-exit4.json");
        var a = DiskRiskScorer.Score(smart, Clean);
        var b = DiskRiskScorer.Score(smart, Clean);
        Assert.Equal(a.Score, b.Score);
        Assert.Equal(a.Reasons, b.Reasons);
    }
}
