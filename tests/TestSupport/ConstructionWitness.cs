namespace DPlaneOS.TestSupport;

/// <summary>
/// A type whose construction leaves a mark: in a process whose environment names a file in
/// <see cref="FileVariable"/>, each constructor call appends a line to it. A daemon that deserializes
/// a stored witness (as Newtonsoft with type names would) shows it; one that refuses the row does not.
/// </summary>
public sealed class ConstructionWitness
{
    public const string FileVariable = "DPLANEOS_TEST_WITNESS_FILE";

    public ConstructionWitness()
    {
        if (Environment.GetEnvironmentVariable(FileVariable) is { Length: > 0 } file)
            File.AppendAllText(file, $"constructed in pid {Environment.ProcessId}\n");
    }

    public string Note { get; set; } = "";
}
