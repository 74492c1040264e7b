namespace DPlaneOS.Zfs.Tests;

/// <summary>Reads captured command outputs copied next to the test assembly (see Fixtures/*/PROVENANCE.md).</summary>
public static class Fixture
{
    public static string Read(string relativePath) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", relativePath));
}
