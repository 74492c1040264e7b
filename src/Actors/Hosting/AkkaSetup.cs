using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Hosting;
using Akka.Remote.Hosting;
using Akka.Logger.Serilog;
using Akka.Persistence.Sql.Hosting;
using DPlaneOS.Actors.Audit;
using DPlaneOS.Actors.Alerts;
using DPlaneOS.Actors.Configuration;
using DPlaneOS.Actors.Storage;
using DPlaneOS.Actors.Node;
using Microsoft.Extensions.DependencyInjection;

namespace DPlaneOS.Actors.Hosting;

/// <summary>Builds the daemon's actor system: HOCON, Serilog logging, SQL persistence and the supervision tree.</summary>
public static class AkkaSetup
{
    public const string SystemName = "dplaneos";

    public static IServiceCollection AddDPlaneOSActors(this IServiceCollection services, DPlaneOSOptions options, string hoconFile)
    {
        var persistence = PersistenceSettings.From(options);
        return services.AddAkka(SystemName, (builder, _) =>
        {
            builder
                .AddHocon(File.ReadAllText(hoconFile), HoconAddMode.Prepend)
                .ConfigureLoggers(loggers =>
                {
                    loggers.ClearLoggers();
                    loggers.AddLogger<SerilogLogger>();
                })
                .WithRemoting(new RemoteOptions { HostName = options.Cluster.Hostname, Port = options.Cluster.Port })
                .WithClustering(new ClusterOptions { SeedNodes = options.Cluster.SeedNodes.ToArray() })
                .WithDistributedPubSub(role: "")
                .WithSqlPersistence(persistence.ConnectionString, persistence.ProviderName, Akka.Persistence.Hosting.PersistenceMode.Both, autoInitialize: true)
                .WithActors((system, registry, resolver) =>
                {
                    // A lone appliance forms its own cluster so pub/sub and singletons work the same as in a fleet.
                    if (options.Cluster.SeedNodes.Count == 0)
                        Akka.Cluster.Cluster.Get(system).Join(Akka.Cluster.Cluster.Get(system).SelfAddress);
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
                    GitOps.GitOpsSetup.Start(system, registry, resolver, options);
                });
        });
    }
}
