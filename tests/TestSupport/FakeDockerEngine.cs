using System.Collections.Concurrent;
using DPlaneOS.Actors.Storage.Docker;

namespace DPlaneOS.TestSupport;

/// <summary>An <see cref="IDockerEngine"/> over an in-memory set of containers; can play an unreachable Docker.</summary>
public sealed class FakeDockerEngine : IDockerEngine
{
    private readonly ConcurrentDictionary<string, DockerContainer> _containers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _running = new(StringComparer.Ordinal);
    private int _listCalls;

    public ConcurrentQueue<string> Stops { get; } = new();
    public ConcurrentQueue<string> Starts { get; } = new();

    public int ListCalls => Volatile.Read(ref _listCalls);

    /// <summary>While set, every call fails like a refused socket connection.</summary>
    public volatile bool Unreachable;

    public void Run(string id, string name, params string[] mountSources)
    {
        _containers[id] = new DockerContainer(id, name, mountSources);
        _running[id] = true;
    }

    public bool IsRunning(string id) => _running.GetValueOrDefault(id);

    public Task<IReadOnlyList<DockerContainer>> ListRunningAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _listCalls);
        ThrowIfUnreachable();
        return Task.FromResult<IReadOnlyList<DockerContainer>>(_containers.Values.Where(c => IsRunning(c.Id)).OrderBy(c => c.Id).ToList());
    }

    public Task StopAsync(string id, TimeSpan gracePeriod, CancellationToken cancellationToken)
    {
        ThrowIfUnreachable();
        Stops.Enqueue(id);
        _running[id] = false;
        return Task.CompletedTask;
    }

    public Task StartAsync(string id, CancellationToken cancellationToken)
    {
        ThrowIfUnreachable();
        Starts.Enqueue(id);
        _running[id] = true;
        return Task.CompletedTask;
    }

    private void ThrowIfUnreachable()
    {
        if (Unreachable) throw new HttpRequestException("Connection refused (/var/run/docker.sock)");
    }
}
