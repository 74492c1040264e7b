using DPlaneOS.Zfs;
using DPlaneOS.Zfs.GitOps;

namespace DPlaneOS.Actors.Configuration;

/// <summary>Settings under <c>DPlaneOS:GitOps</c>.</summary>
public sealed class GitOpsOptions
{
    /// <summary>The desired state file; empty means <c>&lt;DataDir&gt;/state.yaml</c>.</summary>
    public string? StatePath { get; set; }

    /// <summary>The Samba include file the daemon owns (shares only); the host's smb.conf includes it.</summary>
    public string SambaInclude { get; set; } = "/etc/samba/dplaneos-shares.conf";

    /// <summary>The smb.conf smbstatus and smbcontrol use (<c>-s</c>); empty means Samba's default.</summary>
    public string? SmbConfig { get; set; }

    public string TestparmPath { get; set; } = "testparm";

    public string SmbcontrolPath { get; set; } = "smbcontrol";

    /// <summary>How often the drift detector compares state.yaml with the host (spec: 5 min); also once at start.</summary>
    public TimeSpan DriftInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Deadline for one apply step (re-check, commands, confirmation); zpool create can be slow.</summary>
    public TimeSpan StepTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long an approval of a blocked item stays valid.</summary>
    public TimeSpan ApprovalTtl { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Trees besides each pool's own (<c>/&lt;pool&gt;</c>, its live root mountpoint) where state.yaml may put
    /// mountpoints and share paths (<c>DPlaneOS:GitOps:AllowedPathPrefixes:0</c>, …). System paths and the
    /// data dir stay refused whatever is listed here.
    /// </summary>
    public List<string> AllowedPathPrefixes { get; set; } = [];

    /// <summary>The path policy of state.yaml and apply; throws naming the setting when a prefix is not an absolute, canonical path.</summary>
    public PathPolicy Paths(string dataDir)
    {
        if (AllowedPathPrefixes.Select(p => NameRules.CheckAbsolutePath(p, "prefix")).FirstOrDefault(e => e is not null) is { } error)
            throw new InvalidOperationException($"DPlaneOS:GitOps:AllowedPathPrefixes: {error}.");
        return PathPolicy.Create(AllowedPathPrefixes, dataDir);
    }

    public string ResolveStatePath(string dataDir) =>
        string.IsNullOrWhiteSpace(StatePath) ? Path.Combine(dataDir, "state.yaml") : StatePath;
}
