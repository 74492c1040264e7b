using Akka.DependencyInjection;
using DPlaneOS.Zfs.GitOps.Apply;
using DPlaneOS.Zfs.GitOps.Live;
using DPlaneOS.Zfs.GitOps.State;
using DPlaneOS.Zfs.Host;

namespace DPlaneOS.Actors.GitOps;

/// <summary>Creates <c>/user/gitops</c> with its host adapters, from the daemon's services and <c>DPlaneOS:GitOps</c>.</summary>
public static class GitOpsSetup
{
    public static AkkaConfigurationBuilder AddGitOpsActors(this AkkaConfigurationBuilder builder) =>
        builder.WithActors((system, registry, resolver) => registry.Register<GitOpsActor>(system.ActorOf(GitOpsProps(resolver), "gitops")));

    /// <summary>The GitOps actor over the live host: zpool, smbstatus and the Samba include file, with the state file in the data dir.</summary>
    private static Props GitOpsProps(IDependencyResolver resolver)
    {
        var settings = resolver.GetService<GitOpsOptions>();
        // Only the data dir: the state file and the refused paths are relative to it.
        var dataDir = resolver.GetService<DataDirectory>().Path;
        var runner = resolver.GetService<ICommandRunner>();
        var host = resolver.GetService<HostTools>();
        // smbstatus and smbcontrol must talk to the smbd whose smb.conf includes our share file.
        var tools = settings.SmbConfig is { Length: > 0 } conf ? host with { SmbConfig = conf } : host;
        var reader = new LiveStateReader(runner, resolver.GetService<IZpool>(), new SmbStatusCommand(runner, tools), tools, settings.SambaInclude);
        var shares = new SambaIncludeWriter(runner, new SambaIncludeSettings(settings.SambaInclude, tools.SmbConfig, settings.TestparmPath, settings.SmbcontrolPath), tools.Timeout);
        var paths = settings.Paths(dataDir);
        var executor = new ApplyStepExecutor(runner, reader, shares, tools, settings.StepTimeout, paths);
        var statePath = settings.ResolveStatePath(dataDir);
        var time = resolver.GetService<TimeProvider>();
        var node = resolver.GetService<NodeIdentity>();
        return Props.Create(() => new GitOpsActor(
            new GitOpsSettings(statePath, settings.SambaInclude, settings.DriftInterval, settings.ApprovalTtl, paths),
            new StateFileStore(statePath), reader, executor, time, node));
    }
}
