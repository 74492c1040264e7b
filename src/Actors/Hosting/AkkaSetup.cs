using Akka.Logger.Serilog;
using Akka.Persistence.Sql.Hosting;
using DPlaneOS.Actors.Alerts;
using DPlaneOS.Actors.Audit;
using DPlaneOS.Actors.GitOps;
using DPlaneOS.Actors.Storage;
using DPlaneOS.Actors.Watch;
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
        // One identity and one options slice per feature; the actors and the setups below take them from DI
        // (with the one TimeProvider the host registered).
        // The one place the host name is read: the node's identity, fixed in <DataDir>/node-identity at the first start.
        services.AddSingleton(new DataDirectory(options.DataDir));
        services.AddSingleton(NodeIdentityFile.Resolve(options.DataDir, options.NodeName, Environment.MachineName));
        services.AddSingleton(options.Supervision);
        services.AddSingleton(options.Alerts);
        services.AddSingleton(options.AlertDelivery);
        services.AddSingleton(options.Docker);
        services.AddSingleton(options.Capacity);
        services.AddSingleton(options.Heartbeat);
        services.AddSingleton(options.Status);
        services.AddSingleton(options.Smart);
        services.AddSingleton(options.Audit);
        services.AddSingleton(options.Watch);
        services.AddSingleton(options.GitOps);
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
                // The supervision tree, in start order: the alerting actors first, so they are subscribed
                // before any producer publishes (pub/sub drops what nobody is subscribed to yet).
                .AddSupervision()
                .AddAlertActors()        // /user/alerts        (router)
                .AddAlertSinkActors()    // /user/alert-webhooks, /user/alert-smtp
                .AddStorageActors()      // /user/storage       (pools, docker, health, capacity)
                .AddNodeActors()         // /user/lifecycle
                .AddAuditActors()        // /user/audit, /user/audit-verify
                .AddWatchActors()        // /user/watch
                .AddGitOpsActors();      // /user/gitops
        });
    }
}
