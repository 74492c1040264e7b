using Akka.Actor;
using Akka.Hosting;
using Akka.Logger.Serilog;
using Akka.Persistence.Sql.Hosting;
using DPlaneOS.Actors.Audit;
using DPlaneOS.Actors.Alerts;
using DPlaneOS.Actors.Configuration;
using DPlaneOS.Actors.GitOps;
using DPlaneOS.Actors.Storage;
using DPlaneOS.Actors.Node;
using Microsoft.Extensions.DependencyInjection;

namespace DPlaneOS.Actors.Hosting;

/// <summary>
/// Builds the daemon's actor system, the safety plane: HOCON, Serilog logging, SQL persistence and the
/// supervision tree. No remoting and no cluster: it opens no port, and nothing on the network can stop
/// or pause it. Its bus is the in-process <see cref="Events.LocalBus"/>; a fleet will be a second system.
/// </summary>
public static class AkkaSetup
{
    public const string SystemName = "dplaneos";

    public static IServiceCollection AddDPlaneOSActors(this IServiceCollection services, DPlaneOSOptions options, string hoconFile)
    {
        var persistence = PersistenceSettings.From(options);
        // One identity and one options slice per feature, for the actors DI creates (issue 10 completes this).
        services.AddSingleton(NodeIdentity.Named(options.NodeName is { Length: > 0 } name ? name : Environment.MachineName));
        services.AddSingleton(options.Docker);
        services.AddSingleton(options.Capacity);
        services.AddSingleton(options.Heartbeat);
        services.AddSingleton(options.GitOps);
        services.AddSingleton(options.Watch);
        services.AddSingleton(options.Audit);
        services.AddSingleton(options.Alerts);
        services.AddSingleton(options.Status);
        services.AddSingleton(options.Smart);
        return services.AddAkka(SystemName, (builder, _) =>
        {
            builder
                .AddHocon(File.ReadAllText(hoconFile), HoconAddMode.Prepend)
                .ConfigureLoggers(loggers =>
                {
                    loggers.ClearLoggers();
                    loggers.AddLogger<SerilogLogger>();
                })
                .WithSqlPersistence(persistence.ConnectionString, persistence.ProviderName, Akka.Persistence.Hosting.PersistenceMode.Both, autoInitialize: true)
                .WithActors((system, registry, resolver) =>
                {
                    Supervision.Install(system, options.Supervision, resolver.GetService<NodeIdentity>(), resolver.GetService<TimeProvider>());
                    system.StartAlerts(registry, options, TimeProvider.System); // first: subscribed before any producer publishes
                    // Next: the sinks subscribe to the router's notifications in their PreStart, long before the
                    // router (which first recovers its journal) can resolve a condition on a producer's first statement.
                    Alerts.AlertSinks.Start(system, registry, options, resolver.GetService<TimeProvider>());
                    var storage = system.ActorOf(Props.Create(() => new StorageSupervisor()), "storage");
                    registry.Register<StorageSupervisor>(storage);
                    var version = typeof(AkkaSetup).Assembly.GetName().Version?.ToString() ?? "unknown";
                    var lifecycle = system.ActorOf(Props.Create(() => new NodeLifecycleActor(version, TimeProvider.System)), "lifecycle");
                    registry.Register<NodeLifecycleActor>(lifecycle);
                    AuditSetup.StartAuditLog(system, registry, options);
                    system.StartMonitoring(registry, options);
                })
                .AddGitOpsActors();
        });
    }
}
