using System.Collections.Concurrent;
using Akka.Actor;
using Akka.TestKit;
using DPlaneOS.Actors.Audit;
using DPlaneOS.Actors.Events;
using static DPlaneOS.Actors.Events.TopicMediator.Protocol;

namespace DPlaneOS.Actors.Tests.Audit;

/// <summary>The periodic chain check on virtual time, with a fake writer (a probe) and a fake verification.</summary>
public sealed class AuditChainWatchTests : VirtualTimeTestKit
{
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);
    private static readonly TimeSpan HeadTimeout = TimeSpan.FromSeconds(30);
    private static readonly AuditHead WriterHead = new(10, new string('a', 64));

    private readonly TestProbe _writer;
    private readonly TestProbe _mediator;
    private readonly ConcurrentQueue<AuditHead?> _heads = new();

    public AuditChainWatchTests()
    {
        _writer = CreateTestProbe();
        _mediator = CreateTestProbe();
    }

    private IActorRef Watch(Func<Task<AuditVerification>> verdicts)
    {
        AuditChainWatch.Verify verify = (head, _) =>
        {
            _heads.Enqueue(head);
            return verdicts();
        };
        return Sys.ActorOf(Props.Create(() => new AuditChainWatch(_writer.Ref, verify, Interval, HeadTimeout, "audit-nas1", "nas1", TimeProvider.System, _mediator.Ref)));
    }

    private static Func<Task<AuditVerification>> InTurn(params AuditVerification[] verdicts)
    {
        var queue = new Queue<AuditVerification>(verdicts);
        return () => Task.FromResult(queue.Dequeue());
    }

    private void AnswerHead()
    {
        _writer.ExpectMsg<AuditLog.Protocol.GetHead>();
        _writer.Reply(new AuditLog.Protocol.Head(WriterHead, true));
    }

    /// <summary>Every event one check published, up to and including its audit.chain.checked.</summary>
    private List<MonitorEvent> OneCheck()
    {
        var events = new List<MonitorEvent>();
        do
        {
            var publish = _mediator.ExpectMsg<Publish>(TimeSpan.FromSeconds(10));
            Assert.Equal(MonitorBus.Topic, publish.Topic);
            events.Add((MonitorEvent)publish.Message);
        } while (events[^1].Type != AuditChainTracker.Checked);
        return events;
    }

    private List<string> NextCheck()
    {
        Scheduler.Advance(Interval);
        AnswerHead();
        return OneCheck().Select(e => e.Type).ToList();
    }

    [Fact]
    public void A_break_is_raised_once_over_hours_of_checks_and_a_repaired_chain_resolves_it()
    {
        Watch(InTurn(
            AuditChainTrackerTests.Valid(),
            AuditChainTrackerTests.BrokenAt(5), AuditChainTrackerTests.BrokenAt(5), AuditChainTrackerTests.BrokenAt(5),
            AuditChainTrackerTests.BrokenAt(2),
            AuditChainTrackerTests.Valid(), AuditChainTrackerTests.Valid()));

        // The first check runs at start, without waiting an interval.
        AnswerHead();
        var first = OneCheck();
        Assert.Equal([AuditChainTracker.Intact, AuditChainTracker.Checked], first.Select(e => e.Type));
        Assert.All(first, e => Assert.Equal(("audit-nas1", "nas1"), (e.Subject, e.Node)));

        Scheduler.Advance(Interval);
        AnswerHead();
        var broken = OneCheck();
        Assert.Equal([AuditChainTracker.Broken, AuditChainTracker.Checked], broken.Select(e => e.Type));
        Assert.Equal((Severity.Critical, "5"), (broken[0].Severity, broken[0].Data["firstBrokenSequence"]));

        Assert.Equal([AuditChainTracker.Checked], NextCheck());
        Assert.Equal([AuditChainTracker.Checked], NextCheck());
        Assert.Equal([AuditChainTracker.Broken, AuditChainTracker.Checked], NextCheck());
        Assert.Equal([AuditChainTracker.Intact, AuditChainTracker.Checked], NextCheck());
        Assert.Equal([AuditChainTracker.Checked], NextCheck());
        // Every check verified against what the writer said it persisted, as the route does.
        Assert.Equal(Enumerable.Repeat<AuditHead?>(WriterHead, 7), _heads);
    }

    [Fact]
    public void A_writer_that_does_not_answer_does_not_stop_the_check()
    {
        Watch(InTurn(AuditChainTrackerTests.BrokenAt(3)));
        _writer.ExpectMsg<AuditLog.Protocol.GetHead>();

        Scheduler.Advance(HeadTimeout);

        Assert.Equal([AuditChainTracker.Broken, AuditChainTracker.Checked], OneCheck().Select(e => e.Type));
        Assert.Equal([(AuditHead?)null], _heads);
    }

    [Fact]
    public void Checks_never_overlap_the_next_one_is_due_an_interval_after_the_last_finished()
    {
        var slow = new TaskCompletionSource<AuditVerification>(TaskCreationOptions.RunContinuationsAsynchronously);
        var verdicts = new Queue<Task<AuditVerification>>([slow.Task, Task.FromResult(AuditChainTrackerTests.Valid())]);
        Watch(() => verdicts.Dequeue());
        AnswerHead();
        AwaitCondition(() => _heads.Count == 1);

        // Hours pass while the first check still reads the journal: no second check starts.
        Scheduler.Advance(Interval * 3);
        slow.SetResult(AuditChainTrackerTests.Valid());
        Assert.Equal([AuditChainTracker.Intact, AuditChainTracker.Checked], OneCheck().Select(e => e.Type));
        // Had a tick sent the writer another GetHead meanwhile, it would be queued before the publish above.
        Assert.False(_writer.HasMessages);
        Assert.Single(_heads);

        Assert.Equal([AuditChainTracker.Checked], NextCheck());
    }

    [Fact]
    public void A_check_that_fails_announces_nothing_and_the_next_one_runs_on_time()
    {
        var calls = 0;
        Watch(() => ++calls == 1
            ? Task.FromException<AuditVerification>(new InvalidOperationException("database is locked"))
            : Task.FromResult(AuditChainTrackerTests.BrokenAt(4)));
        AnswerHead();

        // Nothing to wait for on the bus (that is the point): step time until the next check asks for the head.
        AdvanceUntil(() => _writer.HasMessages, Interval);
        AnswerHead();
        // The first thing published is the second check's verdict: the failed one said nothing.
        Assert.Equal([AuditChainTracker.Broken, AuditChainTracker.Checked], OneCheck().Select(e => e.Type));
    }
}
