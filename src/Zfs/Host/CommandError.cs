namespace DPlaneOS.Zfs.Host;

/// <summary>Why a host command gave no usable result.</summary>
public enum CommandErrorKind
{
    /// <summary>The executable is not installed or not on PATH.</summary>
    NotFound,

    /// <summary>It ran longer than its deadline and was killed.</summary>
    TimedOut,

    /// <summary>The caller cancelled it.</summary>
    Cancelled,

    /// <summary>It exited non-zero.</summary>
    Failed,

    /// <summary>It exited zero but its output could not be understood.</summary>
    Unparseable,

    /// <summary>This ZFS cannot do what was asked (e.g. <c>zpool events</c> on zfs-fuse).</summary>
    NotSupported,
}

/// <summary>A typed failure of a host command, carried as a value up to the API.</summary>
public sealed record CommandError(CommandErrorKind Kind, string CommandLine, string Message, int? ExitCode = null)
{
    public override string ToString() => $"{Kind}: {CommandLine}: {Message}";
}
