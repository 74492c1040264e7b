using DPlaneOS.Actors.Watch;

namespace DPlaneOS.Actors.Tests.Watch;

public sealed class PendingChangesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 29, 10, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);

    [Fact]
    public void A_burst_on_one_path_becomes_one_change_when_its_window_ends()
    {
        var pending = PendingChanges.Empty;
        for (var i = 0; i < 50; i++) pending = pending.Add("/data/a.txt", "/data", i == 0 ? "created" : "changed", T0.AddMilliseconds(i * 10));
        Assert.Equal(T0 + Window, pending.NextDue(Window));

        var (early, none) = pending.TakeDue(T0.AddMilliseconds(999), Window);
        Assert.Empty(none);
        Assert.Same(pending, early);

        var (rest, due) = pending.TakeDue(T0 + Window, Window);
        var change = Assert.Single(due);
        Assert.Equal(("/data/a.txt", "/data", 50, T0, T0.AddMilliseconds(490)), (change.Path, change.Root, change.Count, change.FirstAt, change.LastAt));
        Assert.Equal(["changed", "created"], change.Kinds);
        Assert.True(rest.IsEmpty);
        Assert.Null(rest.NextDue(Window));
    }

    [Fact]
    public void Paths_have_their_own_windows()
    {
        var pending = PendingChanges.Empty
            .Add("/data/b", "/data", "changed", T0.AddMilliseconds(300))
            .Add("/data/a", "/data", "created", T0)
            .Add("/data/b", "/data", "deleted", T0.AddMilliseconds(1200));
        var (rest, due) = pending.TakeDue(T0.AddMilliseconds(1000), Window);
        Assert.Equal(["/data/a"], due.Select(c => c.Path));
        Assert.Equal(T0.AddMilliseconds(1300), rest.NextDue(Window));
        var (_, later) = rest.TakeDue(T0.AddMilliseconds(1300), Window);
        Assert.Equal((2, "changed,deleted"), (later.Single().Count, string.Join(',', later.Single().Kinds)));
    }

    [Fact]
    public void A_path_written_without_pause_is_still_reported_every_window()
    {
        var pending = PendingChanges.Empty;
        var reported = 0;
        for (var ms = 0; ms <= 3500; ms += 50)
        {
            var now = T0.AddMilliseconds(ms);
            (pending, var due) = pending.TakeDue(now, Window);
            reported += due.Count;
            pending = pending.Add("/data/log", "/data", "changed", now);
        }
        Assert.Equal(3, reported);
    }
}
