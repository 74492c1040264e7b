using DPlaneOS.Gateway.Auth;
using DPlaneOS.Gateway.Hosting;
using DPlaneOS.TestSupport;

namespace DPlaneOS.Gateway.Tests;

/// <summary>
/// <c>api-tokens.json</c> and <c>api-token</c>: written whole or not at all and never through a planted
/// link; a token file that is empty, torn, of the wrong shape or a link stops the real daemon process
/// at start with one line that names the file, says what is wrong and how to recover.
/// </summary>
public sealed class ApiTokenFileTests
{
    private const string Hash = "0F1E2D3C4B5A69788796A5B4C3D2E1F00F1E2D3C4B5A69788796A5B4C3D2E1F0";

    public static TheoryData<string, string> BadFiles => new()
    {
        { "", "is empty" },
        { "  \n", "is empty" },
        // A write cut short in the middle of an entry.
        { $"[\n  {{\n    \"name\": \"admin\",\n    \"sha256\": \"{Hash[..20]}", "is not valid JSON (it breaks off at line 4" },
        { "{\"name\": \"admin\"}", "is not a list of tokens (it is a JSON object)" },
        { "null", "is not a list of tokens (it is a JSON null)" },
        { "[]", "lists no token" },
        { "[{\"created\": \"2025-01-01T00:00:00+00:00\", \"sha256\": \"" + Hash + "\"}]", "token 1 has no name" },
        { "[{\"name\": \"admin\", \"created\": \"2025-01-01T00:00:00+00:00\"}]", "token 1 ('admin') has no sha256 of 64 hex digits" },
        { "[{\"name\": \"admin\", \"sha256\": \"xyz\", \"created\": \"2025-01-01T00:00:00+00:00\"}]", "token 1 ('admin') has no sha256 of 64 hex digits" },
        { "[{\"name\": 7, \"sha256\": \"" + Hash + "\"}]", "is not a list of tokens ($[0].name" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task A_bad_token_file_stops_the_start_with_one_line_saying_what_and_how_to_recover(string content, string problem)
    {
        var dataDir = NewDataDir();
        var hashFile = Path.Combine(dataDir, ApiTokenStore.HashFileName);
        await File.WriteAllTextAsync(hashFile, content);

        await using var run = await RunUntilExitAsync(dataDir);

        AssertRefusedWithOneLine(run, hashFile, problem);
        Assert.Equal(content, await File.ReadAllTextAsync(hashFile));
        Assert.False(File.Exists(Path.Combine(dataDir, ApiTokenStore.ClearTokenFileName)));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_link_at_the_token_file_stops_the_start_and_is_not_followed(bool targetExists)
    {
        var dataDir = NewDataDir();
        var elsewhere = Directory.CreateTempSubdirectory("dplaned-token-elsewhere-").FullName;
        var target = Path.Combine(elsewhere, "tokens.json");
        var valid = $"[{{\"name\": \"admin\", \"sha256\": \"{Hash}\", \"created\": \"2025-01-01T00:00:00+00:00\"}}]";
        if (targetExists) await File.WriteAllTextAsync(target, valid);
        var hashFile = Path.Combine(dataDir, ApiTokenStore.HashFileName);
        File.CreateSymbolicLink(hashFile, target);

        await using var run = await RunUntilExitAsync(dataDir);

        AssertRefusedWithOneLine(run, hashFile, $"is a symbolic link (to {target})");
        if (targetExists) Assert.Equal(valid, await File.ReadAllTextAsync(target));
        else Assert.False(File.Exists(target), "the daemon created the file the link points at");
        Assert.NotNull(new FileInfo(hashFile).LinkTarget);
    }

    [Fact]
    public void A_link_planted_at_the_clear_token_path_is_replaced_not_written_through()
    {
        var dataDir = NewDataDir();
        var victim = Path.Combine(Directory.CreateTempSubdirectory("dplaned-victim-").FullName, "shadow");
        File.WriteAllText(victim, "root:x:0:0\n");
        var clear = Path.Combine(dataDir, ApiTokenStore.ClearTokenFileName);
        File.CreateSymbolicLink(clear, victim);

        var store = ApiTokenStore.OpenOrCreate(dataDir);

        Assert.True(store.CreatedAdminToken);
        Assert.Equal("root:x:0:0\n", File.ReadAllText(victim));
        Assert.Null(new FileInfo(clear).LinkTarget);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(clear));
        Assert.Equal("admin", store.Authenticate(File.ReadAllText(clear).Trim())?.Name);
    }

    [Fact]
    public void A_link_planted_at_the_temporary_path_is_not_followed()
    {
        var dataDir = NewDataDir();
        var victim = Path.Combine(Directory.CreateTempSubdirectory("dplaned-victim-").FullName, "passwd");
        File.WriteAllText(victim, "keep me\n");
        var temp = Path.Combine(dataDir, ApiTokenStore.HashFileName + ".tmp");
        File.CreateSymbolicLink(temp, victim);

        var store = ApiTokenStore.OpenOrCreate(dataDir);

        Assert.Equal("keep me\n", File.ReadAllText(victim));
        Assert.False(File.Exists(temp) || new FileInfo(temp).LinkTarget is not null, "the temporary path is left behind");
        Assert.Equal("admin", store.Authenticate(File.ReadAllText(Path.Combine(dataDir, ApiTokenStore.ClearTokenFileName)).Trim())?.Name);
        // The hash file is a real, complete file the next start reads.
        Assert.Equal("admin", ApiTokenStore.OpenOrCreate(dataDir).Authenticate(File.ReadAllText(Path.Combine(dataDir, ApiTokenStore.ClearTokenFileName)).Trim())?.Name);
    }

    [Fact]
    public void A_new_admin_token_replaces_the_old_clear_file_by_rename_leaving_no_temporary_file()
    {
        var dataDir = NewDataDir();
        ApiTokenStore.OpenOrCreate(dataDir);
        var clear = Path.Combine(dataDir, ApiTokenStore.ClearTokenFileName);
        var oldToken = File.ReadAllText(clear);

        // The recovery the refusal names: delete the hash file to get a new admin token.
        using var oldFile = new FileStream(clear, FileMode.Open, FileAccess.Read);
        File.Delete(Path.Combine(dataDir, ApiTokenStore.HashFileName));
        var store = ApiTokenStore.OpenOrCreate(dataDir);

        var newToken = File.ReadAllText(clear);
        Assert.NotEqual(oldToken, newToken);
        // Written in place, the old file would now read the new token (or a torn one); renamed over, it is untouched.
        Assert.Equal(oldToken, new StreamReader(oldFile).ReadToEnd());
        Assert.Equal("admin", store.Authenticate(newToken.Trim())?.Name);
        Assert.Null(store.Authenticate(oldToken.Trim()));
        Assert.Equal([ApiTokenStore.ClearTokenFileName, ApiTokenStore.HashFileName],
            Directory.GetFiles(dataDir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    private static string NewDataDir() => Directory.CreateTempSubdirectory("dplaned-tokens-").FullName;

    private static Task<DaemonProcess> RunUntilExitAsync(string dataDir) => DaemonProcess.RunUntilExitAsync(dataDir, TimeSpan.FromMinutes(1));

    private static void AssertRefusedWithOneLine(DaemonProcess run, string hashFile, string problem)
    {
        Assert.True(run.ExitCode == StartRefusedException.ExitCode, $"exit code {run.ExitCode}, output:\n{run.OutputText}");
        var line = Assert.Single(run.Output);
        Assert.StartsWith($"stderr: dplaned: {hashFile} ", line);
        Assert.Contains(problem, line);
        Assert.Contains("restore it from a backup, or delete it", line);
    }
}
