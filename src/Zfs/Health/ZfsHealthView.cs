using DPlaneOS.Zfs.Host;

namespace DPlaneOS.Zfs.Health;

/// <summary>
/// Everything the health, iostat and events routes serve, as one immutable value. A failed refresh
/// keeps the last good data and records the error beside it, so a flaky zpool never blanks the
/// dashboard. (Capacity, with its levels and reserves, is the capacity guardian's view.)
/// </summary>
public sealed record ZfsHealthView(
    HealthReport Health,
    IostatReport Iostat,
    EventsReport Events,
    ZfsStatusReading? LastReading,
    IReadOnlyDictionary<string, SmartObservation> Smart)
{
    public static ZfsHealthView Initial() => new(
        HealthReport.Empty,
        new IostatReport(null, "not read yet", []),
        new EventsReport(null, true, "not read yet", []),
        null,
        new Dictionary<string, SmartObservation>());

    /// <summary>Whole-disk device paths seen in the last status read.</summary>
    public IReadOnlyList<string> DevicePaths =>
        LastReading?.Devices.Values.Select(d => d.DevicePath).OfType<string>().Distinct().ToList() ?? [];

    public ZfsHealthView WithReading(ZfsStatusReading reading, int eventsKept) => this with
    {
        LastReading = reading,
        Health = reading.Status.IsOk
            ? HealthReportBuilder.Build(reading.At, reading.Status.Value, reading.Devices, Smart, Health.LastSmartRefresh)
            : Health with { Error = Describe(reading.Status.Error) },
        Iostat = reading.Iostat.IsOk
            ? new IostatReport(reading.At, null, reading.Iostat.Value)
            : Iostat with { Error = Describe(reading.Iostat.Error) },
        Events = reading.Events switch
        {
            { IsOk: true } ok => new EventsReport(reading.At, true, null, ok.Value.TakeLast(eventsKept).ToList()),
            { Error.Kind: CommandErrorKind.NotSupported } unsupported => new EventsReport(reading.At, false, unsupported.Error!.Message, []),
            var failed => Events with { Error = Describe(failed.Error!) },
        },
    };

    public ZfsHealthView WithSmart(IReadOnlyList<SmartObservation> observations, DateTimeOffset at)
    {
        var smart = new Dictionary<string, SmartObservation>(Smart);
        foreach (var observation in observations) smart[observation.DevicePath] = observation;
        var view = this with { Smart = smart, Health = Health with { LastSmartRefresh = at } };
        return LastReading is { Status.IsOk: true } reading
            ? view with { Health = HealthReportBuilder.Build(reading.At, reading.Status.Value, reading.Devices, smart, at) }
            : view;
    }

    private static string Describe(CommandError error) => error.ToString();
}
