using CsCheck;
using DPlaneOS.Actors.Alerts;
using DPlaneOS.Actors.Configuration;
using DPlaneOS.Actors.Events;
using DPlaneOS.Actors.Node;

namespace DPlaneOS.Actors.Tests.Alerts;

/// <summary>
/// Random event streams on two pools with a silence over one of them, timers fired at their deadlines as the actor
/// does; the silenced run is checked against the same stream without the silence.
/// </summary>
public sealed class AlertSilencePropertyTests
{
    private static readonly NodeIdentity TestNode = NodeIdentity.Named("nas1");
    private static readonly DateTimeOffset T0 = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly AlertOptions Timing = new();
    private static readonly string[] Subjects = ["tank", "backup"];

    private sealed record Step(int Subject, Severity Severity, int DelaySeconds);

    private static readonly Gen<(Step[] Steps, int From, int Length)> Cases =
        Gen.Select(
            Gen.Select(Gen.Int[0, 1], Gen.OneOf(Severity.Info, Severity.Warning, Severity.Critical, Severity.Resolved), Gen.Int[0, 420],
                (subject, severity, delay) => new Step(subject, severity, delay)).Array[1, 50],
            Gen.Int[0, 6000], Gen.Int[1, 6000]);

    private static List<AlertNotification> Run(Step[] steps, AlertSilence? silence)
    {
        var state = AlertRouterState.Empty;
        if (silence is not null) state = state.Apply(new SilenceCreated(silence));
        var sent = new List<AlertNotification>();
        var ids = 0;
        var now = T0;

        void Take(IReadOnlyList<IAlertRecord> records)
        {
            foreach (var record in records) state = state.Apply(record);
            sent.AddRange(records.OfType<AlertNotified>().Select(r => r.Notification));
        }

        // As the actor: a timer is armed at `now` and fires at its deadline, or at once when that has passed.
        void FireTimersUntil(DateTimeOffset until)
        {
            while (state.Conditions.Keys
                       .Select(key => (Key: key, At: state.NextDeadline(key, Timing, now)))
                       .Where(d => d.At is not null && d.At <= until)
                       .OrderBy(d => d.At)
                       .FirstOrDefault() is { Key: not null } due)
            {
                if (due.At > now) now = due.At.Value;
                Take(state.DecideDue(due.Key, now, Timing, () => $"n{++ids}"));
            }
        }

        var clock = T0;
        foreach (var step in steps)
        {
            clock += TimeSpan.FromSeconds(step.DelaySeconds);
            FireTimersUntil(clock);
            now = clock;
            Take(state.Decide(MonitorEvent.Create(TestNode, "pool.degraded", step.Severity, Subjects[step.Subject], now), now, Timing, () => $"n{++ids}"));
        }
        FireTimersUntil(now + TimeSpan.FromDays(2));
        return sent;
    }

    [Fact]
    public void A_silence_holds_back_only_what_it_matches_and_only_while_it_runs_and_then_tells_at_most_once()
    {
        Cases.Sample(c =>
        {
            var from = T0 + TimeSpan.FromSeconds(c.From);
            // Half a second off the events' whole seconds: what the end of the silence sends is not mixed with what an event at that instant does.
            var until = from + TimeSpan.FromSeconds(c.Length + 0.5);
            var silence = new AlertSilence("s", new AlertSilenceMatchers(["pool.*"], "tank", null), from, until, "test", "ops", T0);
            var silenced = Run(c.Steps, silence);
            var free = Run(c.Steps, null);

            var tank = AlertRouterState.KeyOf("pool.degraded", "tank");
            // Nothing but a resolution for tank while the silence runs.
            Assert.DoesNotContain(silenced, n => n.Key == tank && n.Kind != AlertNotificationKind.Resolved && n.At >= from && n.At < until);
            // At most one notice when it ends.
            Assert.True(silenced.Count(n => n.Key == tank && n.At == until) <= 1);
            // Everything before the silence, and all of the other pool, is as without it.
            Assert.Equal(Shape(free.Where(n => n.Key != tank || n.At < from)), Shape(silenced.Where(n => n.Key != tank || n.At < from)));
        }, iter: 500);
    }

    private static List<(string, AlertNotificationKind, Severity, DateTimeOffset)> Shape(IEnumerable<AlertNotification> notifications) =>
        notifications.Select(n => (n.Key, n.Kind, n.Severity, n.At)).ToList();
}
