namespace DPlaneOS.Actors.Hosting;

public static class SupervisionSetup
{
    /// <summary>Installs <see cref="Supervision"/> from DI's <see cref="SupervisionOptions"/>, node and clock; before every other actor.</summary>
    public static AkkaConfigurationBuilder AddSupervision(this AkkaConfigurationBuilder builder) =>
        builder.WithActors((system, _, resolver) =>
            Supervision.Install(system, resolver.GetService<SupervisionOptions>(), resolver.GetService<NodeIdentity>(), resolver.GetService<TimeProvider>()));
}
