using DPlaneOS.Actors.Support.Sections;
using DPlaneOS.Zfs.Host;
using Microsoft.Extensions.DependencyInjection;

namespace DPlaneOS.Actors.Support;

public static class SupportBundleServices
{
    /// <summary>
    /// The bundle's own command runner: it keeps at most MaxEntryBytes (+1, so a cut is noticed)
    /// of each output instead of the general runner's 64 Mi characters.
    /// </summary>
    public const string RunnerKey = "support-bundle";

    /// <summary>
    /// The support bundle with its built-in sections (daemon, zfs, smart, logs, audit) and secret sources
    /// (settings, data-dir files, the alert sinks' stored secrets). Other features add theirs with
    /// <c>AddSingleton&lt;IBundleSection, …&gt;</c> / <c>AddSingleton&lt;ISecretSource, …&gt;</c>.
    /// </summary>
    public static IServiceCollection AddSupportBundle(this IServiceCollection services)
    {
        services.AddKeyedSingleton<ICommandRunner>(RunnerKey, (sp, _) =>
            new CommandRunner(maxCapturedChars: (int)Math.Min(Math.Max(1L, sp.GetRequiredService<DPlaneOSOptions>().SupportBundle.MaxEntryBytes) + 1, int.MaxValue)));
        services.AddSingleton<ISecretSource, OptionsSecretSource>();
        services.AddSingleton<ISecretSource, DataDirSecretSource>();
        services.AddSingleton<ISecretSource, AlertSinkSecretSource>();
        services.AddSingleton<IBundleSection, DaemonBundleSection>();
        services.AddSingleton<IBundleSection, ZfsBundleSection>();
        services.AddSingleton<IBundleSection, SmartBundleSection>();
        services.AddSingleton<IBundleSection, JournalBundleSection>();
        services.AddSingleton<IBundleSection, AuditBundleSection>();
        services.AddSingleton(sp => new SupportBundleWriter(
            sp.GetServices<IBundleSection>(), sp.GetRequiredService<DPlaneOSOptions>().SupportBundle));
        services.AddSingleton<SupportBundleService>();
        return services;
    }
}
