using DPlaneOS.Zfs.Watch;

namespace DPlaneOS.Zfs.Tests.Watch;

public sealed class InotifyFdInfoTests
{
    [Theory]
    [InlineData("fdinfo-inotify-3-watches.txt", 3)]
    [InlineData("fdinfo-inotify-2-watches-no-fhandle.txt", 2)]
    [InlineData("fdinfo-inotify-no-watches.txt", 0)]
    [InlineData("fdinfo-epoll.txt", 0)]
    [InlineData("fdinfo-fanotify.txt", 0)]
    [InlineData("fdinfo-regular-file.txt", 0)]
    public void Only_inotify_wd_lines_are_watches(string fixture, int watches) =>
        Assert.Equal(watches, InotifyFdInfo.CountWatches(Fixture.Read($"proc/{fixture}")));

    [Fact]
    public void Windows_line_ends_and_an_empty_text_are_handled()
    {
        Assert.Equal(3, InotifyFdInfo.CountWatches(Fixture.Read("proc/fdinfo-inotify-3-watches.txt").Replace("\n", "\r\n")));
        Assert.Equal(0, InotifyFdInfo.CountWatches(""));
    }

    [Fact]
    public void The_effective_uid_is_read_from_status()
    {
        Assert.Equal(0, InotifyFdInfo.EffectiveUid(Fixture.Read("proc/status-root.txt")));
        Assert.Equal(33, InotifyFdInfo.EffectiveUid(Fixture.Read("proc/status-real-1000-effective-33.txt")));
        Assert.Null(InotifyFdInfo.EffectiveUid("Name:\tx\n"));
        Assert.Null(InotifyFdInfo.EffectiveUid("Uid:\tabc\n"));
    }

    [Theory]
    [InlineData("192536\n", 192536L)]
    [InlineData("  8192 ", 8192L)]
    [InlineData("0\n", null)]
    [InlineData("-1\n", null)]
    [InlineData("lots\n", null)]
    [InlineData("", null)]
    public void Limits_are_positive_integers(string text, long? limit) => Assert.Equal(limit, InotifyFdInfo.Limit(text));
}
