using System.Globalization;
using Akka.Pattern;

namespace DPlaneOS.Actors.Hosting;

/// <summary>
/// The one way a child is restarted: under a backoff supervisor with <c>DPlaneOS:Supervision</c>'s delays
/// (1 s doubling to 30 s, 0.2 jitter), so a child that keeps crashing cannot spin the CPU. Retries are
/// bounded: after <see cref="SupervisionOptions.MaxRetries"/> restarts in a row the backoff supervisor stops
/// (Akka's rule), and that is logged and published as <see cref="SupervisionEvents.GaveUp"/> on the monitor
/// bus, so the admin is told. Who notices: the parent actor, which watches what it started here and hands
/// each <see cref="Terminated"/> of a child it did not stop to <see cref="GaveUp"/> (a parent that stops
/// itself handles no Terminated, so stopping a subtree raises nothing); for a top-level child, a watch
/// under <c>/system</c> that is silent once the system shuts down.
/// The backoff supervisor takes the child's name and forwards every message to it: register and address
/// the returned ref, which outlives the child's restarts.
/// </summary>
public sealed class Supervision : IExtension
{
    private readonly ActorSystem _system;
    private readonly NodeIdentity _node;
    private readonly TimeProvider _time;
    private readonly IActorRef _topLevelWatch;

    private Supervision(ActorSystem system, SupervisionOptions options, NodeIdentity node, TimeProvider time, IActorRef topLevelWatch)
    {
        _system = system;
        Options = options;
        _node = node;
        _time = time;
        _topLevelWatch = topLevelWatch;
    }

    public SupervisionOptions Options { get; }

    /// <summary>Validates the settings and starts the top-level watch; called once, before any supervised child starts.</summary>
    public static Supervision Install(ActorSystem system, SupervisionOptions options, NodeIdentity node, TimeProvider time)
    {
        options.Validate();
        return (Supervision)system.RegisterExtension(new Id(options, node, time));
    }

    public static Supervision For(ActorSystem system) =>
        system.GetExtension<Supervision>()
        ?? throw new InvalidOperationException($"{nameof(Supervision)}.{nameof(Install)} was not called for actor system {system.Name}");

    /// <summary>
    /// Starts <paramref name="child"/> under a backoff supervisor named <paramref name="name"/> (the child is
    /// <paramref name="childName"/>, by default the same), restarted with backoff when it crashes.
    /// </summary>
    public IActorRef RestartOnFailure(IActorRefFactory parent, Props child, string name, string? childName = null) =>
        Watched(parent, parent.ActorOf(OnFailure(child, childName ?? name, Options), name));

    /// <summary>
    /// For a persistent actor, which stops itself when its journal fails: restarted with backoff when it stops.
    /// A crash restarts it in place, without backoff (Akka's default strategy).
    /// </summary>
    public IActorRef RestartOnStop(IActorRefFactory parent, Props child, string name, string? childName = null) =>
        Watched(parent, parent.ActorOf(OnStop(child, childName ?? name, Options), name));

    /// <summary>Restarted with backoff when it stops and when it crashes (a crash stops it first).</summary>
    public IActorRef RestartOnStopOrFailure(IActorRefFactory parent, Props child, string name, string? childName = null) =>
        Watched(parent, parent.ActorOf(OnStop(child, childName ?? name, Options, stopOnCrash: true), name));

    /// <summary>
    /// A backoff supervisor started here terminated without being asked to: its child is given up.
    /// Logged and published as <see cref="SupervisionEvents.GaveUp"/>, with the child's path as subject.
    /// </summary>
    public void GaveUp(IActorRef supervisor)
    {
        var path = supervisor.Path.ToStringWithoutAddress();
        Logging.GetLogger(_system, typeof(Supervision))
            .Error("{0} failed {1} times in a row and is not restarted again (DPlaneOS:Supervision:MaxRetries)", path, Options.MaxRetries);
        MonitorBus.Publish(_system, MonitorEvent.Create(_node, SupervisionEvents.GaveUp, Severity.Critical, path, _time.GetUtcNow(),
            new Dictionary<string, string> { [SupervisionEvents.RetriesKey] = Options.MaxRetries.ToString(CultureInfo.InvariantCulture) }));
    }

    /// <summary>The backoff supervisor's props alone (not watched), for tests and tools.</summary>
    public static Props OnFailure(Props child, string name, SupervisionOptions options) =>
        BackoffSupervisor.Props(
            Backoff.OnFailure(child, name, options.MinBackoff, options.MaxBackoff, options.RandomFactor, options.MaxRetries)
                .WithAutoReset(options.ResetAfter));

    /// <inheritdoc cref="RestartOnStop"/>
    public static Props OnStop(Props child, string name, SupervisionOptions options, bool stopOnCrash = false)
    {
        var backoff = Backoff.OnStop(child, name, options.MinBackoff, options.MaxBackoff, options.RandomFactor, options.MaxRetries)
            .WithAutoReset(options.ResetAfter);
        return BackoffSupervisor.Props(stopOnCrash ? backoff.WithDefaultStoppingStrategy() : backoff);
    }

    private IActorRef Watched(IActorRefFactory parent, IActorRef supervisor)
    {
        if (parent is IActorContext context) context.Watch(supervisor);
        else _topLevelWatch.Tell(new TopLevelWatch.Watch(supervisor));
        return supervisor;
    }

    private sealed class Id(SupervisionOptions options, NodeIdentity node, TimeProvider time) : ExtensionIdProvider<Supervision>
    {
        public override Supervision CreateExtension(ExtendedActorSystem system) =>
            new(system, options, node, time, system.SystemActorOf(Props.Create(() => new TopLevelWatch()), "supervision"));
    }

    /// <summary>The parent of the top-level children: one that terminates while the system runs has given up.</summary>
    private sealed class TopLevelWatch : ReceiveActor
    {
        public TopLevelWatch()
        {
            Receive<Watch>(watch => Context.Watch(watch.Supervisor));
            Receive<Terminated>(terminated =>
            {
                if (CoordinatedShutdown.Get(Context.System).ShutdownReason is null) For(Context.System).GaveUp(terminated.ActorRef);
            });
        }

        public sealed record Watch(IActorRef Supervisor);
    }
}
