using System.Collections.Concurrent;
using DPlaneOS.Actors.Storage.Pools;

namespace DPlaneOS.TestSupport;

/// <summary>An <see cref="IPoolProber"/> whose answer per directory the test decides: success, failure, a tampered path or a hang.</summary>
public sealed class FakePoolProber : IPoolProber
{
    private readonly ConcurrentDictionary<string, Func<Task<ProbeIoResult>>> _answers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _probes = new(StringComparer.Ordinal);

    public int Probes(string directory) => _probes.GetValueOrDefault(directory);

    public void Succeed(string directory) => _answers[directory] = () => Task.FromResult(ProbeIoResult.Ok(TimeSpan.FromMilliseconds(1)));

    public void Fail(string directory, string failure) => _answers[directory] = () => Task.FromResult(ProbeIoResult.Fail(failure, TimeSpan.FromMilliseconds(1)));

    /// <summary>Every probe of <paramref name="directory"/> from now on finds <paramref name="path"/> tampered with.</summary>
    public void Tamper(string directory, string path, string found) =>
        _answers[directory] = () => Task.FromResult(ProbeIoResult.Tampered(path, found, TimeSpan.FromMilliseconds(1)));

    /// <summary>Every probe of <paramref name="directory"/> from now on gets a task that completes only when the test completes it.</summary>
    public TaskCompletionSource<ProbeIoResult> Hang(string directory)
    {
        var hung = new TaskCompletionSource<ProbeIoResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        _answers[directory] = () => hung.Task;
        return hung;
    }

    public Task<ProbeIoResult> ProbeAsync(string directory)
    {
        _probes.AddOrUpdate(directory, 1, (_, count) => count + 1);
        return _answers.TryGetValue(directory, out var answer)
            ? answer()
            : Task.FromResult(ProbeIoResult.Ok(TimeSpan.FromMilliseconds(1)));
    }
}
