namespace DPlaneOS.Actors.Storage;

/// <summary>Starts <c>/user/storage</c>, which starts its children (<see cref="StorageSupervisor"/>).</summary>
public static class StorageSetup
{
    /// <summary>Bad capacity settings throw here, so the daemon does not start with them.</summary>
    public static AkkaConfigurationBuilder AddStorageActors(this AkkaConfigurationBuilder builder) =>
        builder.WithActors((system, registry, resolver) =>
        {
            resolver.GetService<CapacityOptions>().Validate();
            var storage = system.ActorOf(Props.Create(() => new StorageSupervisor()), "storage");
            registry.Register<StorageSupervisor>(storage);
        });
}
