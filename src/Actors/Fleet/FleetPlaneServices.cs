using DPlaneOS.Actors.Fleet.Summary;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DPlaneOS.Actors.Fleet;

public static class FleetPlaneServices
{
    /// <summary>
    /// The fleet plane as a hosted service beside the safety plane. It validates and loads its certificates
    /// when the daemon starts (a wrong setting stops the start, naming it); with no seed nodes it logs that the
    /// fleet is off and opens no port. With a fleet, it also registers the fleet-side actors of every incarnation
    /// (<see cref="FleetActors"/>) and the replicated view; call it before <see cref="FleetViewServices.AddFleetView"/>.
    /// </summary>
    public static IServiceCollection AddFleetPlane(this IServiceCollection services, FleetOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton(sp => new FleetPlane(options, sp.GetRequiredService<NodeIdentity>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<FleetPlane>>()));
        if (options.Enabled)
        {
            // Before AddFleetView's TryAdd: with a fleet, the routes read the replicated view.
            services.AddSingleton(sp => new FleetActors(sp.GetRequiredService<FleetPlane>(), options, sp.GetRequiredService<NodeIdentity>(),
                sp.GetRequiredService<LocalNodeSummary>(), sp.GetRequiredService<ActorSystem>, sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<FleetActors>>()));
            services.AddSingleton<IFleetView>(sp => new ReplicatedFleetView(sp.GetRequiredService<FleetActors>(), sp.GetRequiredService<LocalNodeSummary>()));
        }
        // The incarnations' actors hook on before the first incarnation starts.
        services.AddHostedService(sp =>
        {
            if (options.Enabled) sp.GetRequiredService<FleetActors>();
            return sp.GetRequiredService<FleetPlane>();
        });
        return services;
    }
}
