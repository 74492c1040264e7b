using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DPlaneOS.Actors.Fleet;

public static class FleetPlaneServices
{
    /// <summary>
    /// The fleet plane as a hosted service beside the safety plane. It validates and loads its certificates
    /// when the daemon starts (a wrong setting stops the start, naming it); with no seed nodes it logs that the
    /// fleet is off and opens no port.
    /// </summary>
    public static IServiceCollection AddFleetPlane(this IServiceCollection services, FleetOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton(sp => new FleetPlane(options, sp.GetRequiredService<NodeIdentity>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<FleetPlane>>()));
        services.AddHostedService(sp => sp.GetRequiredService<FleetPlane>());
        return services;
    }
}
