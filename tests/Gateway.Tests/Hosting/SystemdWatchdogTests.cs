using Akka.Hosting;
using DPlaneOS.Actors.Storage.Health;
using DPlaneOS.Gateway.Hosting;
using DPlaneOS.TestSupport;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;

namespace DPlaneOS.Gateway.Tests.Hosting;

/// <summary>
/// The watchdog in the real daemon (in-process, so the test can wedge one actor while the web host
/// and the rest of the actor system live on): it pets while the storage supervisor answers, stops
/// while the health actor's thread hangs in a zpool start, and pets again once it is free. "Stops"
/// is shown by the watchdog's own log line for each missed pet, which proves its timer ran.
/// The notify protocol on a real socket from the real process: Integration.Tests SystemdNotifyTests.
/// </summary>
public sealed class SystemdWatchdogTests
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(null, 4242, true)]
    [InlineData("", 4242, true)]
    [InlineData("4242", 4242, true)]
    [InlineData("4243", 4242, false)]
    [InlineData("42x", 4242, false)]
    [InlineData("-4242", 4242, false)]
    public void The_watchdog_is_ours_only_when_watchdog_pid_is_unset_or_names_this_process(string? watchdogPid, int processId, bool ours) =>
        Assert.Equal(ours, SystemdWatchdog.IsForProcess(watchdogPid, processId));

    [Fact]
    public async Task The_watchdog_is_petted_while_the_actor_system_answers_not_while_an_actor_is_wedged_and_again_once_it_answers()
    {
        var zpool = new FakeZpool();
        var events = new WatchdogEvents();
        await using var daemon = await DaemonFixture.StartAsync(zpool,
            // 400 ms as systemd passes it: pet every 200 ms, each ask may take 100 ms.
            settings: new Dictionary<string, string> { ["WATCHDOG_USEC"] = "400000" },
            // As Program registers it under systemd (before the actor system's hosted service).
            services: s => s.AddHostedService(sp => new SystemdWatchdog(events, sp.GetRequiredService<IRequiredActor<ZfsHealthActor>>(),
                sp.GetRequiredService<IConfiguration>(), events)));

        await events.WaitForAsync(e => e.Count(x => x == WatchdogEvents.Pet) >= 3, "three pets while all answers");

        using var wedge = new ManualResetEventSlim();
        zpool.StatusBlock = wedge;
        await zpool.StatusBlocked.Task.WaitAsync(Within);
        var wedged = events.Snapshot().Count;
        // The HTTP side still serves: only the storage actors are stuck.
        Assert.Equal(System.Net.HttpStatusCode.OK, (await daemon.Client().GetAsync("/healthz")).StatusCode);

        var during = await events.WaitForAsync(e => e.Skip(wedged).Count(x => x == WatchdogEvents.Missed) >= 3, "three missed pets while the actor is wedged");
        var sinceFirstMiss = during.Skip(wedged).SkipWhile(x => x != WatchdogEvents.Missed).ToList();
        Assert.DoesNotContain(WatchdogEvents.Pet, sinceFirstMiss);
        // A pet answered in the moment before the actor blocked may still arrive; no more.
        Assert.True(during.Skip(wedged).TakeWhile(x => x != WatchdogEvents.Missed).Count(x => x == WatchdogEvents.Pet) <= 1, string.Join(", ", during.Skip(wedged)));

        zpool.StatusBlock = null;
        wedge.Set();
        var after = await events.WaitForAsync(e => e.Skip(during.Count).Contains(WatchdogEvents.Pet), "a pet once the actor answers again");
        Assert.Equal(WatchdogEvents.Pet, after[^1]);
    }

    /// <summary>What the watchdog did, in order: each notification it sent and each missed pet it logged.</summary>
    private sealed class WatchdogEvents : ISystemdNotifier, ILogger<SystemdWatchdog>
    {
        public const string Pet = "WATCHDOG=1";
        public const string Missed = "missed";

        private readonly List<string> _events = [];
        private readonly List<(Func<List<string>, bool> Done, TaskCompletionSource Reached)> _waiters = [];

        bool ISystemdNotifier.IsEnabled => true;

        public void Notify(ServiceState state) => Add(state.ToString());

        public List<string> Snapshot()
        {
            lock (_events) return [.. _events];
        }

        public async Task<List<string>> WaitForAsync(Func<List<string>, bool> done, string what)
        {
            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_events)
            {
                if (done(_events)) return [.. _events];
                _waiters.Add((done, reached));
            }
            try
            {
                await reached.Task.WaitAsync(Within);
            }
            catch (TimeoutException)
            {
                Assert.Fail($"no {what} within {Within}: {string.Join(", ", Snapshot())}");
            }
            return Snapshot();
        }

        private void Add(string item)
        {
            lock (_events)
            {
                _events.Add(item);
                foreach (var waiter in _waiters.Where(w => w.Done(_events)).ToList())
                {
                    _waiters.Remove(waiter);
                    waiter.Reached.TrySetResult();
                }
            }
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == LogLevel.Error && formatter(state, exception).Contains("not petting", StringComparison.Ordinal)) Add(Missed);
        }
    }
}
