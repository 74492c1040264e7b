using DPlaneOS.Zfs.GitOps.State;

namespace DPlaneOS.Zfs.Tests.GitOpsAdapters;

public sealed class StateFileStoreTests
{
    private static StateFileStore Store() =>
        new(Path.Combine(Directory.CreateTempSubdirectory("dplaned-state-").FullName, "gitops", "state.yaml"));

    [Fact]
    public async Task A_missing_file_reads_as_a_valid_commented_starter()
    {
        var content = await Store().ReadAsync(CancellationToken.None);
        Assert.False(content.Exists);
        Assert.True(StateFileParser.Parse(content.Text).IsValid, StateFileParser.Parse(content.Text).ToString());
    }

    [Fact]
    public async Task Writes_replace_the_file_and_keep_the_previous_version()
    {
        var store = Store();
        var first = await store.WriteAsync("version: 1\n", CancellationToken.None);
        Assert.Null(first.PreviousPath);
        var second = await store.WriteAsync("version: 1\nshares: []\n", CancellationToken.None);
        Assert.Equal(store.PreviousPath, second.PreviousPath);
        Assert.Equal("version: 1\n", await File.ReadAllTextAsync(store.PreviousPath));
        Assert.Equal("version: 1\nshares: []\n", (await store.ReadAsync(CancellationToken.None)).Text);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(store.Path));
        Assert.Equal(["state.yaml", "state.yaml.prev"], Directory.GetFiles(Path.GetDirectoryName(store.Path)!).Select(Path.GetFileName).Order());
    }

    [Fact]
    public async Task Concurrent_writes_each_land_whole()
    {
        var store = Store();
        var texts = Enumerable.Range(0, 20).Select(i => $"version: 1\n# writer {i}\n" + new string('#', 10_000) + "\n").ToList();
        await Task.WhenAll(texts.Select(t => store.WriteAsync(t, CancellationToken.None)));
        Assert.Contains((await store.ReadAsync(CancellationToken.None)).Text, texts);
        Assert.Contains(await File.ReadAllTextAsync(store.PreviousPath), texts);
    }
}
