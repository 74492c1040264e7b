using System.Text.Json.Serialization;
using DPlaneOS.Actors.Storage.Pools;
using DPlaneOS.Actors.Hosting;
using DPlaneOS.Gateway.Audit;
using DPlaneOS.Actors.Support;
using DPlaneOS.Gateway.Cli;
using DPlaneOS.Gateway.Auth;
using DPlaneOS.Gateway.Hosting;
using DPlaneOS.Gateway.OpenApi;
using DPlaneOS.Actors.Fleet;
using DPlaneOS.Actors.Fleet.Summary;
using DPlaneOS.Gateway.Routes;
using DPlaneOS.Gateway.WebSockets;
using DPlaneOS.Zfs.Health;
using DPlaneOS.Zfs.Host;
using DPlaneOS.Zfs.Snapshots;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Scalar.AspNetCore;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace DPlaneOS.Gateway;

public class Program
{
    public const string DefaultUrls = "http://127.0.0.1:9000";

    public static int Main(string[] args)
    {
        var commandLine = CommandLine.Parse(args, out var error);
        if (error is not null)
        {
            Console.Error.WriteLine($"dplaned: {error}");
            Console.Error.WriteLine(CommandLine.Usage);
            return 2;
        }

        if (commandLine.IsVerb("snapshot", "pre-upgrade"))
            return PreUpgradeSnapshotVerb.RunAsync(commandLine, Console.Out, Console.Error).GetAwaiter().GetResult();
        if (commandLine.IsVerb("fleet", "ca", "create"))
            return FleetCaCreateVerb.Run(commandLine.VerbArguments, Console.Out, Console.Error, TimeProvider.System);
        if (commandLine.IsVerb("fleet", "cert", "create"))
            return FleetCertCreateVerb.Run(commandLine.VerbArguments, Console.Out, Console.Error, TimeProvider.System);
        if (commandLine.Verb is ["token", _])
            return TokenVerb.Run(commandLine, Console.Out, Console.Error, TimeProvider.System);

        WebApplication app;
        try
        {
            app = Build(commandLine);
        }
        catch (StartRefusedException refused)
        {
            // One line, no stack trace: it says which file, what is wrong with it and how to recover.
            Console.Error.WriteLine($"dplaned: {refused.Message}");
            return StartRefusedException.ExitCode;
        }
        app.Run();
        return 0;
    }

    /// <param name="customize">
    /// Runs before the daemon's own registrations: tests add settings and register fake host
    /// adapters, which win because the adapters below are registered with TryAdd.
    /// </param>
    public static WebApplication Build(CommandLine commandLine, Action<WebApplicationBuilder>? customize = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,
        });
        AddCommandLineConfiguration(builder.Configuration, commandLine);
        customize?.Invoke(builder);
        builder.WebHost.UseUrls(builder.Configuration["urls"] ?? DefaultUrls);

        var options = builder.Configuration.GetSection(DPlaneOSOptions.Section).Get<DPlaneOSOptions>() ?? new DPlaneOSOptions();
        ConfigureServices(builder, options);

        var app = builder.Build();
        ConfigurePipeline(app, options);
        return app;
    }

    /// <summary>--config FILE, then environment variables, then --data-dir/--urls: the daemon and every verb read settings alike.</summary>
    internal static void AddCommandLineConfiguration(IConfigurationBuilder configuration, CommandLine commandLine)
    {
        if (commandLine.ConfigFile is not null) configuration.AddJsonFile(commandLine.ConfigFile, optional: false);
        configuration.AddEnvironmentVariables();
        var overrides = new Dictionary<string, string?>();
        if (commandLine.DataDir is not null) overrides[$"{DPlaneOSOptions.Section}:DataDir"] = commandLine.DataDir;
        if (commandLine.Urls is not null) overrides["urls"] = commandLine.Urls;
        configuration.AddInMemoryCollection(overrides);
    }

    internal static HostTools HostToolsFrom(DPlaneOSOptions options) =>
        new(options.Zfs.ZpoolPath, options.Zfs.ZfsPath, options.Zfs.SmartctlPath, options.Zfs.SmbstatusPath) { Timeout = options.Zfs.CommandTimeout };

    private static void ConfigureServices(WebApplicationBuilder builder, DPlaneOSOptions options)
    {
        builder.Host.UseSystemd();
        if (Microsoft.Extensions.Hosting.Systemd.SystemdHelpers.IsSystemdService())
            builder.Services.AddHostedService<SystemdWatchdog>();
        builder.Services.AddSerilog((_, logger) => ConfigureLogging(logger, options.Logging));

        var tokens = ApiTokenStore.OpenOrCreate(options.DataDir);
        builder.Services.AddSingleton(tokens);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(TimeProvider.System);

        var tools = HostToolsFrom(options);
        builder.Services.AddSingleton(tools);
        builder.Services.TryAddSingleton<ICommandRunner>(_ => new CommandRunner());
        builder.Services.TryAddSingleton<IZpool, ZpoolCommand>();
        builder.Services.LimitZpoolTo(options.Zfs);
        builder.Services.TryAddSingleton<IZfs, ZfsCommand>();
        builder.Services.TryAddSingleton<ISmartctl>(sp => new SmartctlCommand(sp.GetRequiredService<ICommandRunner>(), tools with { Timeout = options.Smart.PerDiskTimeout }));
        builder.Services.TryAddSingleton<ISmbStatus, SmbStatusCommand>();
        builder.Services.AddSingleton(new DiskDeviceResolver());
        builder.Services.AddSingleton<ZfsStatusReader>();
        builder.Services.AddSingleton<SmartReader>();
        builder.Services.AddSingleton<PreUpgradeSnapshotter>();
        builder.Services.AddSupportBundle();
        builder.Services.AddFleetPlane(options.Fleet);
        builder.Services.AddFleetView();

        builder.Services.AddPoolHeartbeat(options);
        builder.Services.AddDPlaneOSActors(options, Path.Combine(AppContext.BaseDirectory, "hocon", "dplaned.conf"));

        builder.Services.AddAuthentication(ApiTokenAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(ApiTokenAuthenticationHandler.SchemeName, null);
        // Every route but those marked AllowAnonymous: a token, and the role the route needs (TokenRoleRequirement).
        var tokenPolicy = new AuthorizationPolicyBuilder(ApiTokenAuthenticationHandler.SchemeName)
            .RequireAuthenticatedUser().AddRequirements(new TokenRoleRequirement()).Build();
        builder.Services.AddAuthorizationBuilder().SetFallbackPolicy(tokenPolicy).SetDefaultPolicy(tokenPolicy);
        builder.Services.AddSingleton<IAuthorizationHandler, TokenRoleRequirement>();
        builder.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, TokenRoleForbiddenHandler>();
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<ActorTimeoutProblemHandler>();
        builder.Services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.Converters.Add(new JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase));
        });
        builder.Services.AddSingleton<SerializedViews>();
        builder.Services.AddMonitorSocket(builder.Configuration.GetSection(MonitorSocketOptions.Section).Get<MonitorSocketOptions>() ?? new MonitorSocketOptions());
        builder.Services.AddOpenApi("v1", openApi => openApi.AddDaemonTransformers());
    }

    private static void ConfigurePipeline(WebApplication app, DPlaneOSOptions options)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        // Before authentication: the handler recognises a WebSocket handshake (and its ?access_token=) only once this has run.
        app.UseWebSockets();
        app.UseAuthentication();
        app.UseAuditTrail();
        app.UseAuthorization();

        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapScalarApiReference("/docs", scalar => scalar.WithTitle("dplaned API").WithOpenApiRoutePattern("/openapi/{documentName}.json"));
        app.MapHealthRoutes();
        app.MapZfsRoutes();
        app.MapSystemRoutes();
        app.MapTokenRoutes();
        app.MapFleetRoutes();
        app.MapAuditRoutes();
        app.MapSupportBundleRoutes();
        app.MapSnapshotRoutes();
        app.MapWatchRoutes();
        app.MapAlertSinkRoutes();
        app.MapGitOpsRoutes();
        app.MapHeartbeatRoutes();
        app.MapActiveAlertRoutes();
        app.MapSilenceRoutes();
        app.MapMonitorSocketRoutes();

        var tokens = app.Services.GetRequiredService<ApiTokenStore>();
        var log = app.Services.GetRequiredService<ILogger<Program>>();
        log.LogInformation("dplaned starting; data dir {DataDir}; database {Database}", options.DataDir, PersistenceSettings.From(options).Description);
        // A warning, not a refused start: a node that runs alone still guards its pools, one that does not start guards nothing.
        if (app.Configuration.GetSection($"{DPlaneOSOptions.Section}:Cluster").Exists())
            log.LogWarning("The settings {Section}:Cluster:* are ignored: this version has no fleet, so the node runs on its own and " +
                           "opens no port but its HTTP one; fleet settings arrive with the fleet", DPlaneOSOptions.Section);
        tokens.ReloadFailed += problem => log.LogError("The API token file changed and cannot be used; the tokens read before stay in force: {Problem}", problem);
        if (tokens.CreatedAdminToken)
            log.LogWarning("Created the admin API token; its clear text is in {TokenFile} (mode 0600), read it once and keep it safe",
                Path.Combine(options.DataDir, ApiTokenStore.ClearTokenFileName));
    }

    private static void ConfigureLogging(LoggerConfiguration logger, LoggingOptions logging)
    {
        var level = Enum.TryParse<LogEventLevel>(logging.MinimumLevel, ignoreCase: true, out var parsed) ? parsed : LogEventLevel.Information;
        logger.MinimumLevel.Is(level)
            .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
            .Enrich.FromLogContext();
        if (string.Equals(logging.Format, "json", StringComparison.OrdinalIgnoreCase))
            logger.WriteTo.Console(new CompactJsonFormatter());
        else
            logger.WriteTo.Console(outputTemplate: "{Timestamp:HH:mm:ss} {Level:u3} {SourceContext}: {Message:lj}{NewLine}{Exception}");
    }
}
