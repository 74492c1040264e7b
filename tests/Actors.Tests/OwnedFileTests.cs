using DPlaneOS.Actors.Persistence;

namespace DPlaneOS.Actors.Tests;

public sealed class OwnedFileTests
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dplaned-owned-").FullName;

    private string PathOf(string name) => Path.Combine(_dir, name);

    [Fact]
    public void A_write_replaces_the_file_by_rename_and_leaves_no_temporary_file()
    {
        var path = PathOf("state.json");
        OwnedFile.WriteAtomically(path, "old"u8);
        using var old = new FileStream(path, FileMode.Open, FileAccess.Read);

        OwnedFile.WriteAtomically(path, "new"u8);

        // A reader holding the old file still sees all of it: the new content is another inode, renamed over.
        Assert.Equal("old", new StreamReader(old).ReadToEnd());
        Assert.Equal("new", File.ReadAllText(path));
        Assert.Equal(["state.json"], Directory.GetFileSystemEntries(_dir).Select(Path.GetFileName));
        Assert.Equal(OwnedFile.OwnerOnly, File.GetUnixFileMode(path));
    }

    [Fact]
    public void A_link_at_the_temporary_path_is_removed_not_followed()
    {
        var victim = Path.Combine(Directory.CreateTempSubdirectory("dplaned-victim-").FullName, "shadow");
        File.WriteAllText(victim, "root:x:0:0\n");
        var path = PathOf("state.json");
        File.CreateSymbolicLink(OwnedFile.TemporaryPath(path), victim);

        OwnedFile.WriteAtomically(path, "new"u8);

        Assert.Equal("root:x:0:0\n", File.ReadAllText(victim));
        Assert.Equal("new", File.ReadAllText(path));
        Assert.Null(new FileInfo(path).LinkTarget);
        Assert.Equal(["state.json"], Directory.GetFileSystemEntries(_dir).Select(Path.GetFileName));
    }

    [Fact]
    public void A_link_at_the_path_is_replaced_by_the_file_not_written_through()
    {
        var victim = Path.Combine(Directory.CreateTempSubdirectory("dplaned-victim-").FullName, "shadow");
        File.WriteAllText(victim, "root:x:0:0\n");
        var path = PathOf("state.json");
        File.CreateSymbolicLink(path, victim);

        OwnedFile.WriteAtomically(path, "new"u8);

        Assert.Equal("root:x:0:0\n", File.ReadAllText(victim));
        Assert.Null(new FileInfo(path).LinkTarget);
        Assert.Equal("new", File.ReadAllText(path));
    }

    [Fact]
    public void A_stale_temporary_file_readable_by_others_is_not_reused()
    {
        var path = PathOf("state.json");
        File.WriteAllText(OwnedFile.TemporaryPath(path), "torn leftover of a crash, and a longer one");
        File.SetUnixFileMode(OwnedFile.TemporaryPath(path), OwnedFile.OwnerOnly | UnixFileMode.OtherRead);

        OwnedFile.WriteAtomically(path, "new"u8);

        Assert.Equal("new", File.ReadAllText(path));
        Assert.Equal(OwnedFile.OwnerOnly, File.GetUnixFileMode(path));
    }

    [Fact]
    public void A_directory_reached_through_a_link_is_written_and_synced_where_it_is()
    {
        var linked = Path.Combine(Directory.CreateTempSubdirectory("dplaned-owned-link-").FullName, "data");
        Directory.CreateSymbolicLink(linked, _dir);

        OwnedFile.WriteAtomically(Path.Combine(linked, "state.json"), "new"u8);

        Assert.Equal("new", File.ReadAllText(PathOf("state.json")));
    }
}
