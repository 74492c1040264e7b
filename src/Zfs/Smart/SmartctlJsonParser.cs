using System.Text.Json;
using DPlaneOS.Zfs.Parsing;

namespace DPlaneOS.Zfs.Smart;

/// <summary>
/// Parses <c>smartctl --json</c> output (any of <c>-a</c>, <c>-x</c>, <c>--all</c>, <c>-i -H -A</c>)
/// into a <see cref="SmartReport"/>.
/// <para>
/// <b>Ok means "there is device data".</b> The result is Ok when smartctl read the device: exit bits
/// 0-1 are clear and the JSON has at least one of <c>model_name</c>, <c>serial_number</c>,
/// <c>smart_status</c>, <c>ata_smart_attributes</c> or <c>nvme_smart_health_information_log</c>.
/// Otherwise (unknown device type, no such device, a bridge smartctl cannot talk through) it is a
/// Fail whose message is smartctl's own text, e.g. <c>/dev/vda: Unable to detect device type</c>:
/// the device is "unavailable". Health bits 3-7 never make a Fail; a failing disk parses to an Ok
/// report with <see cref="SmartReport.ExitStatus"/> carrying those bits.
/// </para>
/// Bad JSON, or a known key with the wrong type, is a Fail too. Never throws.
/// </summary>
public static class SmartctlJsonParser
{
    private const string Source = "smartctl --json";

    private static readonly string[] DeviceDataKeys =
        ["model_name", "serial_number", "smart_status", "ata_smart_attributes", "nvme_smart_health_information_log"];

    public static ParseResult<SmartReport> Parse(string json)
    {
        if (string.IsNullOrWhiteSpace(json)) return Fail("empty output");
        try
        {
            using var document = JsonDocument.Parse(json);
            return Read(document.RootElement);
        }
        catch (Exception ex) when (JsonFields.IsBadInput(ex))
        {
            return Fail(ex is JsonException ? $"not valid JSON: {ex.Message}" : ex.Message);
        }
    }

    private static ParseResult<SmartReport> Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object) return Fail("top level is not a JSON object");

        var smartctl = JsonFields.Object(root, "smartctl");
        var exitStatus = smartctl is { } s ? JsonFields.Int(s, "exit_status") ?? 0 : 0;
        var messages = smartctl is { } m ? ReadMessages(m) : [];

        var hasDeviceData = DeviceDataKeys.Any(key => JsonFields.Get(root, key) is not null);
        if (SmartExitStatus.IsUnreadable(exitStatus) || !hasDeviceData)
        {
            var why = messages.Count > 0 ? string.Join("; ", messages) : "no device data in smartctl output";
            return Fail(why, exitStatus);
        }

        var device = JsonFields.Object(root, "device");
        var deviceName = (device is { } d ? JsonFields.String(d, "name") : null) ?? DeviceFromArgv(smartctl) ?? "";
        var protocol = ReadProtocol(device is { } dp ? JsonFields.String(dp, "protocol") : null);

        var smartStatus = JsonFields.Object(root, "smart_status");
        var passed = smartStatus is { } ss ? JsonFields.Bool(ss, "passed") : null;

        var nvme = JsonFields.Object(root, "nvme_smart_health_information_log") is { } log ? ReadNvme(log) : null;
        var temperature = (JsonFields.Object(root, "temperature") is { } t ? JsonFields.Int(t, "current") : null)
                          ?? (JsonFields.Object(root, "nvme_smart_health_information_log") is { } nl ? JsonFields.Int(nl, "temperature") : null);
        var powerOnHours = JsonFields.Object(root, "power_on_time") is { } p ? JsonFields.Long(p, "hours") : null;

        return ParseResult.Ok(new SmartReport(
            deviceName,
            protocol,
            JsonFields.String(root, "model_name")?.Trim(),
            JsonFields.String(root, "serial_number")?.Trim(),
            passed,
            exitStatus,
            messages,
            temperature,
            powerOnHours,
            ReadAttributes(root),
            nvme));
    }

    private static List<string> ReadMessages(JsonElement smartctl)
    {
        var list = new List<string>();
        if (JsonFields.Array(smartctl, "messages") is not { } messages) return list;
        foreach (var message in messages.EnumerateArray())
        {
            if (message.ValueKind != JsonValueKind.Object) throw new JsonShapeException("'messages' entries should be objects");
            if (JsonFields.String(message, "string") is { } text) list.Add(text);
        }
        return list;
    }

    private static string? DeviceFromArgv(JsonElement? smartctl)
    {
        // Last resort for the device path: smartctl's own argv ends with it.
        if (smartctl is not { } s || JsonFields.Array(s, "argv") is not { } argv) return null;
        var last = argv.EnumerateArray().LastOrDefault();
        return last.ValueKind == JsonValueKind.String && last.GetString() is { } arg && arg.StartsWith("/dev/", StringComparison.Ordinal) ? arg : null;
    }

    private static SmartProtocol ReadProtocol(string? protocol) => protocol?.ToUpperInvariant() switch
    {
        "ATA" => SmartProtocol.Ata,
        "NVME" => SmartProtocol.Nvme,
        "SCSI" => SmartProtocol.Scsi,
        _ => SmartProtocol.Unknown,
    };

    private static List<AtaAttribute> ReadAttributes(JsonElement root)
    {
        var list = new List<AtaAttribute>();
        if (JsonFields.Object(root, "ata_smart_attributes") is not { } attributes) return list;
        if (JsonFields.Array(attributes, "table") is not { } table) return list;
        foreach (var row in table.EnumerateArray())
        {
            if (row.ValueKind != JsonValueKind.Object) throw new JsonShapeException("'ata_smart_attributes.table' entries should be objects");
            var id = JsonFields.Int(row, "id") ?? throw new JsonShapeException("an ATA attribute has no 'id'");
            var raw = JsonFields.Object(row, "raw");
            var rawValue = raw is { } r ? JsonFields.Long(r, "value") ?? 0 : 0;
            var rawString = (raw is { } rs ? JsonFields.String(rs, "string") : null) ?? rawValue.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var whenFailed = JsonFields.String(row, "when_failed");
            list.Add(new AtaAttribute(
                id,
                JsonFields.String(row, "name") ?? $"Attribute_{id}",
                JsonFields.Int(row, "value") ?? 0,
                JsonFields.Int(row, "worst") ?? 0,
                JsonFields.Int(row, "thresh") ?? 0, // some SSDs report no threshold at all
                rawValue,
                rawString,
                string.IsNullOrWhiteSpace(whenFailed) ? null : whenFailed));
        }
        return list;
    }

    private static NvmeHealth ReadNvme(JsonElement log) => new(
        JsonFields.Int(log, "critical_warning") ?? 0,
        JsonFields.Long(log, "media_errors") ?? 0,
        JsonFields.Int(log, "percentage_used") ?? 0,
        JsonFields.Int(log, "available_spare") ?? 100,
        JsonFields.Int(log, "available_spare_threshold") ?? 0,
        JsonFields.Long(log, "num_err_log_entries") ?? 0,
        JsonFields.Long(log, "unsafe_shutdowns") ?? 0);

    private static ParseResult<SmartReport> Fail(string message, int? exitStatus = null)
    {
        var suffix = exitStatus is { } e and not 0 ? $" (exit status {e}: {string.Join(", ", SmartExitStatus.Describe(e))})" : "";
        return ParseResult.Fail<SmartReport>(new ParseError(Source, message + suffix));
    }
}
