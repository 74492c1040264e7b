using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace DPlaneOS.Actors.Fleet.Summary;

public static class FleetViewServices
{
    /// <summary>This node's summary taker and, unless a fleet plane registered its replicated view first, the fleet of one.</summary>
    public static IServiceCollection AddFleetView(this IServiceCollection services)
    {
        services.TryAddSingleton<LocalNodeSummary>();
        services.TryAddSingleton<IFleetView, SingleNodeFleetView>();
        return services;
    }
}
