using System.Globalization;

namespace DPlaneOS.Zfs.Smart;

/// <summary>
/// Folds SMART and ZFS evidence about one disk into a 0-100 risk score. Pure and deterministic:
/// every matching row below adds its points, the sum is clamped to 100, and each row that fired
/// adds one reason (<c>"+30: 8 pending sectors (ATA 197)"</c>). A tiered row adds only its
/// highest tier. Seagate raws 1, 7 and 188 are decoded first (<see cref="SeagateRawDecoder"/>).
/// <list type="table">
/// <listheader><term>Input</term><description>Points, and why</description></listheader>
/// <item><term>SMART overall FAILED (<c>passed=false</c>), or exit bit 3 when no status</term><description>80: the drive's own prediction of failure.</description></item>
/// <item><term>exit bit 4, prefail attribute ≤ threshold now</term><description>40: a warranty attribute has crossed its line.</description></item>
/// <item><term>exit bit 7, self-test log has errors</term><description>40: a self-test hit an unreadable area.</description></item>
/// <item><term>exit bit 5 / bit 6 (past threshold, error log)</term><description>10 each: history, often old or transient.</description></item>
/// <item><term>ATA 5 Reallocated_Sector_Ct ≥1 / ≥10 / ≥100 / ≥1000</term><description>10 / 30 / 50 / 70: Backblaze predictor; a few remaps are common, hundreds are not.</description></item>
/// <item><term>ATA 187 Reported_Uncorrect, 197 Current_Pending_Sector, 198 Offline_Uncorrectable ≥1 / ≥10 / ≥100</term><description>30 / 50 / 70 each: data the drive could not read; the strongest Backblaze predictors.</description></item>
/// <item><term>ATA 188 Command_Timeout ≥1 / ≥10 / ≥100</term><description>5 / 15 / 25: Backblaze predictor, but cables and controllers cause it too, and smartmontools advises against reading the raw alone.</description></item>
/// <item><term>ATA 184 End-to-End_Error ≥1</term><description>30: the drive corrupted data in its own buffer.</description></item>
/// <item><term>ATA 10 Spin_Retry_Count ≥1</term><description>20: the spindle struggled to start (mechanics).</description></item>
/// <item><term>ATA 196 Reallocated_Event_Count ≥1 / ≥10 / ≥100</term><description>5 / 15 / 25: overlaps attribute 5, so it weighs less.</description></item>
/// <item><term>ATA 201 Soft_Read_Error_Rate ≥1</term><description>10: vendor-specific meaning, weak evidence.</description></item>
/// <item><term>NVMe critical_warning 0x04, 0x08, 0x10 or 0x20</term><description>80: reliability degraded, read-only, volatile-memory backup or PMR failed.</description></item>
/// <item><term>NVMe spare below threshold (bit 0x01, or available_spare &lt; threshold)</term><description>50: the drive is out of reserve blocks.</description></item>
/// <item><term>NVMe critical_warning 0x02 (temperature)</term><description>30.</description></item>
/// <item><term>NVMe media_errors ≥1 / ≥10 / ≥100</term><description>30 / 50 / 70: unrecovered data integrity errors.</description></item>
/// <item><term>NVMe percentage_used ≥80 / ≥100</term><description>10 / 30: rated endurance nearly or fully used.</description></item>
/// <item><term>Temperature ≥55 / ≥60 / ≥70 °C</term><description>5 / 15 / 30: heat shortens life; 70 is the usual drive limit.</description></item>
/// <item><term>ZFS vdev state FAULTED, UNAVAIL or REMOVED</term><description>100: ZFS has stopped using the disk.</description></item>
/// <item><term>ZFS vdev state DEGRADED</term><description>50.</description></item>
/// <item><term>ZFS READ or WRITE errors ≥1 / ≥10 / ≥100</term><description>10 / 25 / 40 each: I/O failures ZFS saw.</description></item>
/// <item><term>ZFS CKSUM errors ≥1 / ≥10 / ≥100</term><description>20 / 30 / 40: silent corruption, worse than a clean I/O error.</description></item>
/// </list>
/// Levels: score &lt;20 Low, &lt;50 Medium, &lt;80 High, else Critical. So one FAILED verdict, a
/// severe NVMe warning or a lost vdev is Critical on its own; hundreds of remapped sectors are High;
/// a single remap or a few Seagate command timeouts stay Low. Exit bits 0-2 add nothing: they
/// describe smartctl's access, not the disk.
/// </summary>
public static class DiskRiskScorer
{
    private sealed record AttributeRule(int Id, string What, (long AtLeast, int Points)[] Tiers);

    private static readonly (long, int)[] Unreadable = [(1, 30), (10, 50), (100, 70)];

    private static readonly AttributeRule[] AtaRules =
    [
        new(5, "reallocated sectors", [(1, 10), (10, 30), (100, 50), (1000, 70)]),
        new(187, "reported uncorrectable errors", Unreadable),
        new(188, "command timeouts", [(1, 5), (10, 15), (100, 25)]),
        new(197, "pending sectors", Unreadable),
        new(198, "offline uncorrectable sectors", Unreadable),
        new(184, "end-to-end errors", [(1, 30)]),
        new(10, "spin retries", [(1, 20)]),
        new(196, "reallocation events", [(1, 5), (10, 15), (100, 25)]),
        new(201, "soft read errors", [(1, 10)]),
    ];

    private const int NvmeSevereWarnings = 0x04 | 0x08 | 0x10 | 0x20;

    public static DiskRisk Score(SmartReport? smart, VdevErrorCounts? zfs)
    {
        var reasons = new List<string>();
        var total = 0;

        void Add(int points, string reason)
        {
            if (points <= 0) return;
            total += points;
            reasons.Add($"+{points.ToString(CultureInfo.InvariantCulture)}: {reason}");
        }

        if (smart is not null) ScoreSmart(smart, Add);
        if (zfs is not null) ScoreZfs(zfs, Add);

        var score = Math.Clamp(total, 0, 100);
        return new DiskRisk(score, LevelFor(score), reasons);
    }

    /// <summary>The band for a 0-100 score: &lt;20 Low, &lt;50 Medium, &lt;80 High, else Critical.</summary>
    public static RiskLevel LevelFor(int score) => score switch
    {
        < 20 => RiskLevel.Low,
        < 50 => RiskLevel.Medium,
        < 80 => RiskLevel.High,
        _ => RiskLevel.Critical,
    };

    private static void ScoreSmart(SmartReport smart, Action<int, string> add)
    {
        var exit = smart.ExitStatus;
        if (smart.Passed == false) add(80, "SMART overall health self-assessment FAILED");
        else if (SmartExitStatus.Has(exit, SmartExitStatus.DiskFailing)) add(80, "smartctl reports the disk failing (exit bit 3)");
        if (SmartExitStatus.Has(exit, SmartExitStatus.PrefailAtOrBelowThreshold)) add(40, "prefail attributes at or below threshold (exit bit 4)");
        if (SmartExitStatus.Has(exit, SmartExitStatus.AttributesBelowThresholdInPast)) add(10, "attributes were at or below threshold in the past (exit bit 5)");
        if (SmartExitStatus.Has(exit, SmartExitStatus.ErrorLogHasErrors)) add(10, "device error log has errors (exit bit 6)");
        if (SmartExitStatus.Has(exit, SmartExitStatus.SelfTestLogHasErrors)) add(40, "self-test log has errors (exit bit 7)");

        var seagate = smart.IsSeagate;
        foreach (var rule in AtaRules)
        {
            if (smart.Attribute(rule.Id) is not { } attribute) continue;
            var count = SeagateRawDecoder.EffectiveRaw(attribute, seagate);
            add(Tier(count, rule.Tiers), $"{Count(count)} {rule.What} (ATA {rule.Id.ToString(CultureInfo.InvariantCulture)})");
        }

        if (smart.Nvme is { } nvme) ScoreNvme(nvme, add);

        if (smart.TemperatureCelsius is { } celsius)
            add(Tier(celsius, [(55, 5), (60, 15), (70, 30)]), $"temperature {celsius.ToString(CultureInfo.InvariantCulture)} °C");
    }

    private static void ScoreNvme(NvmeHealth nvme, Action<int, string> add)
    {
        var warning = nvme.CriticalWarning;
        var hex = "0x" + warning.ToString("x2", CultureInfo.InvariantCulture);
        if ((warning & NvmeSevereWarnings) != 0) add(80, $"NVMe critical warning {hex} (reliability, read-only or backup failure)");
        if ((warning & 0x01) != 0 || nvme.AvailableSpare < nvme.AvailableSpareThreshold)
            add(50, $"NVMe available spare {nvme.AvailableSpare.ToString(CultureInfo.InvariantCulture)}% below threshold {nvme.AvailableSpareThreshold.ToString(CultureInfo.InvariantCulture)}%");
        if ((warning & 0x02) != 0) add(30, $"NVMe critical warning {hex} (temperature)");
        add(Tier(nvme.MediaErrors, Unreadable), $"{Count(nvme.MediaErrors)} NVMe media errors");
        add(Tier(nvme.PercentageUsed, [(80, 10), (100, 30)]), $"NVMe {nvme.PercentageUsed.ToString(CultureInfo.InvariantCulture)}% of rated endurance used");
    }

    private static void ScoreZfs(VdevErrorCounts zfs, Action<int, string> add)
    {
        var state = zfs.State.Trim().ToUpperInvariant();
        if (state is "FAULTED" or "UNAVAIL" or "REMOVED") add(100, $"ZFS vdev {state}");
        else if (state == "DEGRADED") add(50, "ZFS vdev DEGRADED");
        add(Tier(zfs.Read, [(1, 10), (10, 25), (100, 40)]), $"{Count(zfs.Read)} ZFS read errors");
        add(Tier(zfs.Write, [(1, 10), (10, 25), (100, 40)]), $"{Count(zfs.Write)} ZFS write errors");
        add(Tier(zfs.Checksum, [(1, 20), (10, 30), (100, 40)]), $"{Count(zfs.Checksum)} ZFS checksum errors");
    }

    private static int Tier(long value, (long AtLeast, int Points)[] tiers)
    {
        var points = 0;
        foreach (var (atLeast, tierPoints) in tiers)
            if (value >= atLeast) points = tierPoints;
        return points;
    }

    private static string Count(long value) => value.ToString(CultureInfo.InvariantCulture);
}
