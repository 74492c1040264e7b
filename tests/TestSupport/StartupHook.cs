/// <summary>
/// Lets a child daemon resolve this assembly's types by name (as it resolves its own): started with
/// <c>DOTNET_STARTUP_HOOKS=&lt;path of DPlaneOS.TestSupport.dll&gt;</c>, the runtime loads this assembly before
/// <c>Main</c>. Nothing runs; see <see cref="DPlaneOS.TestSupport.ConstructionWitness"/>.
/// </summary>
internal static class StartupHook
{
    public static void Initialize()
    {
    }
}
