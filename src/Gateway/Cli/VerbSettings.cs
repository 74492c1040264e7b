namespace DPlaneOS.Gateway.Cli;

/// <summary>The daemon's settings as a verb reads them: appsettings.json, --config, the environment, --data-dir; as the daemon does.</summary>
public static class VerbSettings
{
    /// <summary>The settings, or null after saying on <paramref name="error"/> why they cannot be read.</summary>
    public static DPlaneOSOptions? Read(CommandLine commandLine, TextWriter error)
    {
        try
        {
            var configuration = new ConfigurationBuilder()
                .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true);
            Program.AddCommandLineConfiguration(configuration, commandLine);
            return configuration.Build().GetSection(DPlaneOSOptions.Section).Get<DPlaneOSOptions>() ?? new DPlaneOSOptions();
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or IOException)
        {
            error.WriteLine($"dplaned: cannot read the settings: {ex.Message}");
            return null;
        }
    }
}
