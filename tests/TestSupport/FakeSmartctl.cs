using System.Collections.Concurrent;
using DPlaneOS.Zfs.Host;
using DPlaneOS.Zfs.Smart;

namespace DPlaneOS.TestSupport;

/// <summary>An <see cref="ISmartctl"/> that answers with captured smartctl JSON through the real parser.</summary>
public sealed class FakeSmartctl(string fixtureFile) : ISmartctl
{
    public ConcurrentQueue<string> Reads { get; } = new();

    public Task<HostResult<SmartReport>> ReadAsync(string devicePath, CancellationToken cancellationToken = default)
    {
        Reads.Enqueue(devicePath);
        var json = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "smart", fixtureFile));
        var parsed = SmartctlJsonParser.Parse(json);
        return Task.FromResult(parsed.IsOk
            ? HostResult<SmartReport>.Ok(parsed.Value with { Device = devicePath })
            : HostResult<SmartReport>.Fail(new CommandError(CommandErrorKind.Unparseable, "smartctl", parsed.Error.ToString())));
    }
}
