using System.Collections.Concurrent;
using DPlaneOS.Zfs;
using DPlaneOS.Zfs.Host;
using DPlaneOS.Zfs.Model;

namespace DPlaneOS.TestSupport;

/// <summary>
/// An in-memory <see cref="IZfs"/>: datasets with properties as <c>zfs get -Hp</c> prints them
/// (sizes in bytes, <c>refreservation=none</c> reads back as 0). Names are validated like the real one.
/// </summary>
public sealed class FakeZfs : IZfs
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, string>> _datasets = new(StringComparer.Ordinal);

    /// <summary>Every mutating call tried (failed ones too), as <c>create name k=v …</c> or <c>set k=v name</c>.</summary>
    public ConcurrentQueue<string> Mutations { get; } = new();

    /// <summary>When set, the next create or set fails with it.</summary>
    public volatile CommandError? FailNextChange;

    /// <summary>While set, creates and sets wait on it: a slow zfs.</summary>
    public volatile TaskCompletionSource? ChangeGate;

    /// <summary>Adds a pool's root dataset with its used and available bytes.</summary>
    public FakeZfs WithPool(string pool, long used, long available)
    {
        _datasets[pool] = new ConcurrentDictionary<string, string>(StringComparer.Ordinal)
        {
            ["used"] = used.ToString(),
            ["available"] = available.ToString(),
            ["refreservation"] = "0",
        };
        return this;
    }

    public string? Property(string dataset, string property) =>
        _datasets.TryGetValue(dataset, out var properties) && properties.TryGetValue(property, out var value) ? value : null;

    public bool Exists(string dataset) => _datasets.ContainsKey(dataset);

    public Task<HostResult<IReadOnlyList<ZfsDatasetProperties>>> GetAsync(IReadOnlyList<string> properties, string? recursiveRoot = null, CancellationToken cancellationToken = default)
    {
        var found = _datasets.Keys
            .Where(name => recursiveRoot is null || name == recursiveRoot || name.StartsWith(recursiveRoot + "/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(name => Select(name, properties))
            .ToList();
        return Task.FromResult(HostResult<IReadOnlyList<ZfsDatasetProperties>>.Ok(found));
    }

    private int _datasetLookups;

    /// <summary>How many single-dataset lookups ran (each reserve change starts with one).</summary>
    public int DatasetLookups => Volatile.Read(ref _datasetLookups);

    public Task<HostResult<ZfsDatasetProperties?>> GetDatasetAsync(string dataset, IReadOnlyList<string> properties, CancellationToken cancellationToken = default)
    {
        NameRules.RequireDataset(dataset);
        Interlocked.Increment(ref _datasetLookups);
        return Task.FromResult(HostResult<ZfsDatasetProperties?>.Ok(_datasets.ContainsKey(dataset) ? Select(dataset, properties) : null));
    }

    public async Task<CommandError?> CreateAsync(string dataset, IReadOnlyDictionary<string, string> properties, CancellationToken cancellationToken = default)
    {
        NameRules.RequireDataset(dataset);
        if (await BeforeChangeAsync($"create {dataset} {string.Join(' ', properties.Select(p => $"{p.Key}={p.Value}"))}", cancellationToken) is { } error) return error;
        var values = new ConcurrentDictionary<string, string>(StringComparer.Ordinal) { ["used"] = "0", ["available"] = "0", ["refreservation"] = "0" };
        foreach (var (property, value) in properties) values[property] = Stored(property, value);
        return _datasets.TryAdd(dataset, values)
            ? null
            : new CommandError(CommandErrorKind.Failed, $"zfs create {dataset}", $"exit 1: cannot create '{dataset}': dataset already exists", 1);
    }

    public async Task<CommandError?> SetAsync(string dataset, string property, string value, CancellationToken cancellationToken = default)
    {
        NameRules.RequireDataset(dataset);
        if (await BeforeChangeAsync($"set {property}={value} {dataset}", cancellationToken) is { } error) return error;
        if (!_datasets.TryGetValue(dataset, out var properties))
            return new CommandError(CommandErrorKind.Failed, $"zfs set {property}={value} {dataset}", $"exit 1: cannot open '{dataset}': dataset does not exist", 1);
        properties[property] = Stored(property, value);
        return null;
    }

    /// <summary>Snapshots are recorded as mutations only; the capacity tests have no use for them.</summary>
    public async Task<CommandError?> SnapshotAsync(string dataset, string snapshot, bool recursive, CancellationToken cancellationToken = default) =>
        await BeforeChangeAsync($"snapshot{(recursive ? " -r" : "")} {NameRules.RequireSnapshot(dataset, snapshot)}", cancellationToken);

    public async Task<CommandError?> DestroySnapshotAsync(string dataset, string snapshot, bool recursive, CancellationToken cancellationToken = default) =>
        await BeforeChangeAsync($"destroy{(recursive ? " -r" : "")} {NameRules.RequireSnapshot(dataset, snapshot)}", cancellationToken);

    private async Task<CommandError?> BeforeChangeAsync(string mutation, CancellationToken cancellationToken)
    {
        if (ChangeGate is { } gate) await gate.Task.WaitAsync(cancellationToken);
        Mutations.Enqueue(mutation);
        return Interlocked.Exchange(ref FailNextChange, null);
    }

    private static string Stored(string property, string value) =>
        property.EndsWith("reservation", StringComparison.Ordinal) && value == "none" ? "0" : value;

    private ZfsDatasetProperties Select(string name, IReadOnlyList<string> properties)
    {
        var all = _datasets[name];
        var selected = properties.Where(all.ContainsKey).ToDictionary(p => p, p => all[p], StringComparer.Ordinal);
        return new ZfsDatasetProperties(name, "filesystem", selected);
    }
}
