using Akka.Cluster;
using DPlaneOS.Actors.Fleet.Certificates;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DPlaneOS.Actors.Fleet;

/// <summary>A fleet actor system was built and is joining the seed nodes.</summary>
public sealed record FleetIncarnationStarted(int Incarnation, ActorSystem System);

/// <summary>
/// A fleet incarnation ended: its actor system terminated (downed, removed, could not join, a failed outbound
/// TLS handshake) or could not be built. The next one is built after <paramref name="NextIn"/>.
/// </summary>
public sealed record FleetIncarnationEnded(int Incarnation, bool WasMember, string Reason, TimeSpan NextIn);

/// <summary>
/// The fleet plane: a second actor system (<see cref="FleetSystemConfig.SystemName"/>) beside the daemon's
/// safety plane, joined to the other appliances over mutual TLS. Akka ends a cluster actor system for good
/// when it is downed, removed or cannot join; this class waits for that, then builds a new one after a bounded
/// backoff (<see cref="FleetRebuildPolicy"/>), for as long as it runs. It takes nothing of the safety plane, so
/// nothing the fleet does can stop or pause it. No seed nodes: it does nothing and opens no port.
/// </summary>
/// <remarks>
/// Not an actor: it owns actor systems and outlives each of them. Its only time logic, the wait between two
/// incarnations, runs on the injected <see cref="TimeProvider"/>; every other timeout (joining, downing,
/// TLS handshakes) is Akka's, inside the fleet system.
/// </remarks>
public sealed class FleetPlane(FleetOptions options, NodeIdentity node, TimeProvider time, ILogger<FleetPlane>? logger = null)
    : IHostedService, IAsyncDisposable
{
    private readonly ILogger _logger = logger ?? NullLogger<FleetPlane>.Instance;
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;
    private ActorSystem? _current;
    private int _incarnations;

    /// <summary>The current fleet actor system; null between two incarnations and when the fleet is off.</summary>
    public ActorSystem? Current => Volatile.Read(ref _current);

    /// <summary>How many fleet actor systems were built (or tried) so far.</summary>
    public int Incarnations => Volatile.Read(ref _incarnations);

    /// <summary>Raised on the plane's own task when a fleet actor system was built.</summary>
    public event Action<FleetIncarnationStarted>? IncarnationStarted;

    /// <summary>Raised on the plane's own task when an incarnation ended, before the backoff.</summary>
    public event Action<FleetIncarnationEnded>? IncarnationEnded;

    /// <summary>Raised from a TLS handshake (a transport thread) when a peer's certificate was refused.</summary>
    public event Action<FleetPeerRefused>? PeerRefused;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Enabled)
        {
            _logger.LogInformation("Fleet plane off: no {Section}:SeedNodes, no fleet port opened", FleetOptions.Section);
            return Task.CompletedTask;
        }
        options.Validate();
        var credentials = FleetCredentials.Load(options);
        var validator = new FleetPeerValidator(new FleetTrust(credentials.Ca, time), refused => PeerRefused?.Invoke(refused));
        var own = validator.Check(credentials.Certificate);
        if (own is not null)
            throw new InvalidOperationException($"{FleetOptions.Section}:CertificatePath: this node's own certificate is refused by its own fleet CA ({own}); every peer would refuse it");
        _logger.LogInformation("Fleet plane: {Node} at {Host}:{Port}, seeds {Seeds}", node.Name, options.Hostname, options.Port,
            string.Join(", ", options.SeedNodes));
        _loop = Task.Run(() => RunAsync(credentials, validator, _stop.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        var system = Current;
        if (system is not null)
            await ShutdownAsync(system).WaitAsync(cancellationToken).ConfigureAwait(false);
        await _loop.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
            await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task RunAsync(FleetCredentials credentials, FleetPeerValidator validator, CancellationToken stop)
    {
        var failures = 0;
        while (!stop.IsCancellationRequested)
        {
            var incarnation = Interlocked.Increment(ref _incarnations);
            var (wasMember, reason) = await RunIncarnationAsync(incarnation, credentials, validator, stop).ConfigureAwait(false);
            failures = FleetRebuildPolicy.NextFailureCount(failures, wasMember);
            var next = FleetRebuildPolicy.Backoff(failures, options);
            if (stop.IsCancellationRequested)
                break;
            _logger.LogWarning("Fleet plane: incarnation {Incarnation} ended ({Reason}, was a member: {WasMember}); next in {Next}",
                incarnation, reason, wasMember, next);
            IncarnationEnded?.Invoke(new FleetIncarnationEnded(incarnation, wasMember, reason, next));
            try
            {
                await Task.Delay(next, time, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private async Task<(bool WasMember, string Reason)> RunIncarnationAsync(
        int incarnation, FleetCredentials credentials, FleetPeerValidator validator, CancellationToken stop)
    {
        ActorSystem system;
        try
        {
            system = ActorSystem.Create(FleetSystemConfig.SystemName, FleetSystemConfig.Setup(options, node, credentials, validator));
        }
        catch (Exception e)
        {
            _logger.LogError(e, "Fleet plane: incarnation {Incarnation} could not be built", incarnation);
            return (false, "could not be built: " + e.Message);
        }
        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cluster = Cluster.Get(system);
        cluster.RegisterOnMemberUp(() => up.TrySetResult());
        Volatile.Write(ref _current, system);
        try
        {
            _logger.LogInformation("Fleet plane: incarnation {Incarnation} is {Address}, joining", incarnation, cluster.SelfAddress);
            IncarnationStarted?.Invoke(new FleetIncarnationStarted(incarnation, system));
            if (stop.IsCancellationRequested)
                await ShutdownAsync(system).ConfigureAwait(false);
            await system.WhenTerminated.ConfigureAwait(false);
            var reason = CoordinatedShutdown.Get(system).ShutdownReason?.GetType().Name ?? "terminated";
            return (up.Task.IsCompleted, reason);
        }
        finally
        {
            Interlocked.CompareExchange(ref _current, null, system);
        }
    }

    /// <summary>Leaves the cluster (when a member) and terminates, through Akka's coordinated shutdown.</summary>
    private static Task ShutdownAsync(ActorSystem system) =>
        CoordinatedShutdown.Get(system).Run(CoordinatedShutdown.ClrExitReason.Instance);
}
