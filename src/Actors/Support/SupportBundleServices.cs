using DPlaneOS.Actors.Support.Sections;
using Microsoft.Extensions.DependencyInjection;

namespace DPlaneOS.Actors.Support;

public static class SupportBundleServices
{
    /// <summary>
    /// The support bundle with its built-in sections (daemon, zfs, smart, logs) and secret sources
    /// (settings, data-dir files). Other features add theirs with
    /// <c>AddSingleton&lt;IBundleSection, …&gt;</c> / <c>AddSingleton&lt;ISecretSource, …&gt;</c>.
    /// </summary>
    public static IServiceCollection AddSupportBundle(this IServiceCollection services)
    {
        services.AddSingleton<ISecretSource, OptionsSecretSource>();
        services.AddSingleton<ISecretSource, DataDirSecretSource>();
        services.AddSingleton<IBundleSection, DaemonBundleSection>();
        services.AddSingleton<IBundleSection, ZfsBundleSection>();
        services.AddSingleton<IBundleSection, SmartBundleSection>();
        services.AddSingleton<IBundleSection, JournalBundleSection>();
        services.AddSingleton(sp => new SupportBundleWriter(
            sp.GetServices<IBundleSection>(), sp.GetRequiredService<Configuration.DPlaneOSOptions>().SupportBundle));
        services.AddSingleton<SupportBundleService>();
        return services;
    }
}
