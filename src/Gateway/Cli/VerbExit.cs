namespace DPlaneOS.Gateway.Cli;

/// <summary>
/// The exit codes every <c>dplaned</c> verb shares, so scripts (the NixOS activation, the OTA script) read them
/// the same way: 0 done, 1 refused or failed (each verb says what), 2 bad arguments or settings.
/// </summary>
public static class VerbExit
{
    public const int Ok = 0;
    public const int Refused = 1;
    public const int BadInput = 2;
}
