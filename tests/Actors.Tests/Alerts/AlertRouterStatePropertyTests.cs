using CsCheck;
using DPlaneOS.Actors.Alerts;
using DPlaneOS.Actors.Configuration;
using DPlaneOS.Actors.Events;
using DPlaneOS.Actors.Node;

namespace DPlaneOS.Actors.Tests.Alerts;

/// <summary>
/// Random event streams on two conditions, with timers fired exactly at their deadlines (as the actor
/// does). The notification stream is checked against the contract, computed from the input alone.
/// </summary>
public sealed class AlertRouterStatePropertyTests
{
    /// <summary>The node the events of these tests come from.</summary>
    private static readonly NodeIdentity TestNode = NodeIdentity.Named("nas1");

    private static readonly DateTimeOffset T0 = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly AlertOptions Timing = new();
    private static readonly string[] Subjects = ["tank", "backup"];

    private sealed record Step(int Subject, Severity Severity, int DelaySeconds);

    private static readonly Gen<Step[]> Streams =
        Gen.Select(Gen.Int[0, 1], Gen.OneOf(Severity.Info, Severity.Warning, Severity.Critical, Severity.Resolved), Gen.Int[0, 420],
                (subject, severity, delay) => new Step(subject, severity, delay))
            .Array[1, 60];

    private static List<AlertNotification> Run(Step[] steps, out DateTimeOffset end)
    {
        var state = AlertRouterState.Empty;
        var sent = new List<AlertNotification>();
        var ids = 0;
        var now = T0;

        void Take(IReadOnlyList<IAlertRecord> records)
        {
            foreach (var record in records) state = state.Apply(record);
            sent.AddRange(records.OfType<AlertNotified>().Select(r => r.Notification));
        }

        void FireTimersUntil(DateTimeOffset until)
        {
            while (true)
            {
                var due = state.Conditions.Keys
                    .Select(key => (Key: key, At: state.NextDeadline(key, Timing)))
                    .Where(d => d.At is not null && d.At <= until)
                    .OrderBy(d => d.At)
                    .FirstOrDefault();
                if (due.Key is null) return;
                Take(state.DecideDue(due.Key, due.At!.Value, Timing, () => $"n{++ids}"));
            }
        }

        foreach (var step in steps)
        {
            var at = now + TimeSpan.FromSeconds(step.DelaySeconds);
            FireTimersUntil(at);
            now = at;
            Take(state.Decide(MonitorEvent.Create(TestNode, "pool.degraded", step.Severity, Subjects[step.Subject], now), now, Timing, () => $"n{++ids}"));
        }
        end = now + TimeSpan.FromDays(1);
        FireTimersUntil(end);
        return sent;
    }

    /// <summary>The spans in which a subject was bad: from the first warning/critical after a clear to the next resolve (or the end).</summary>
    private static List<(DateTimeOffset From, DateTimeOffset To, bool Cleared)> Spans(Step[] steps, int subject, DateTimeOffset end)
    {
        var spans = new List<(DateTimeOffset, DateTimeOffset, bool)>();
        DateTimeOffset? since = null;
        var now = T0;
        foreach (var step in steps)
        {
            now += TimeSpan.FromSeconds(step.DelaySeconds);
            if (step.Subject != subject) continue;
            if (step.Severity is Severity.Warning or Severity.Critical && since is null) since = now;
            if (step.Severity == Severity.Resolved && since is not null)
            {
                spans.Add((since.Value, now, true));
                since = null;
            }
        }
        if (since is not null) spans.Add((since.Value, end, false));
        return spans;
    }

    [Fact]
    public void Every_notification_stream_keeps_the_debounce_contract()
    {
        Streams.Sample(steps =>
        {
            var sent = Run(steps, out var end);
            for (var subject = 0; subject < Subjects.Length; subject++)
            {
                var key = AlertRouterState.KeyOf("pool.degraded", Subjects[subject]);
                var mine = sent.Where(n => n.Key == key).ToList();
                foreach (var (from, to, cleared) in Spans(steps, subject, end))
                {
                    var inSpan = mine.Where(n => n.At > from && n.At <= to).ToList();
                    var raised = inSpan.Where(n => n.Kind == AlertNotificationKind.Raised).ToList();

                    // Raised exactly once when it held for the window, exactly when the window ended; never otherwise.
                    if (to - from >= Timing.Hysteresis)
                        Assert.Equal(from + Timing.Hysteresis, Assert.Single(raised).At);
                    else
                        Assert.Empty(inSpan);

                    // The first notice is the raise; resolved comes last and only after a notice.
                    if (inSpan.Count > 0) Assert.Equal(AlertNotificationKind.Raised, inSpan[0].Kind);
                    var resolved = inSpan.Where(n => n.Kind == AlertNotificationKind.Resolved).ToList();
                    Assert.Equal(cleared && raised.Count == 1 ? 1 : 0, resolved.Count);
                    if (resolved.Count == 1) Assert.Same(resolved[0], inSpan[^1]);

                    // Repeats never come closer than the cooldown; escalations only go from warning to critical.
                    for (var i = 1; i < inSpan.Count; i++)
                    {
                        var (previous, next) = (inSpan[i - 1], inSpan[i]);
                        if (next.Kind == AlertNotificationKind.Repeated) Assert.True(next.At - previous.At >= Timing.Cooldown, $"repeat after {next.At - previous.At}");
                        if (next.Kind == AlertNotificationKind.Escalated)
                        {
                            Assert.Equal(Severity.Warning, previous.Severity);
                            Assert.Equal(Severity.Critical, next.Severity);
                        }
                        Assert.NotEqual(AlertNotificationKind.Raised, next.Kind);
                    }
                }
                // Nothing is said about a subject outside its bad spans.
                Assert.Equal(mine.Count, Spans(steps, subject, end).Sum(s => mine.Count(n => n.At > s.From && n.At <= s.To)));
            }
        }, iter: 2000);
    }
}
