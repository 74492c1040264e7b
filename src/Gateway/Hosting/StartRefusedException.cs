namespace DPlaneOS.Gateway.Hosting;

/// <summary>
/// A file the daemon owns is unusable: the start stops with <see cref="Exception.Message"/> as its one
/// log line (naming the file, what is wrong and how to recover) and <see cref="ExitCode"/>, instead of
/// a daemon that fails every request.
/// </summary>
public sealed class StartRefusedException(string message) : Exception(message)
{
    /// <summary>EX_CONFIG of sysexits.h: the configuration or state on disk is wrong; restarting will not help.</summary>
    public const int ExitCode = 78;
}
