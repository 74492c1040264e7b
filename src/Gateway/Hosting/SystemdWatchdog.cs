using System.Globalization;
using DPlaneOS.Actors.Storage.Health;
using DPlaneOS.Zfs.Health;
using Microsoft.Extensions.Hosting.Systemd;

namespace DPlaneOS.Gateway.Hosting;

/// <summary>
/// Sends systemd's <c>WATCHDOG=1</c> at half the unit's WatchdogSec, but only while the actor system
/// answers: a wedged daemon stops petting the watchdog and systemd restarts it. The systemd
/// hosting package reports READY/STOPPING only, not the watchdog. The interval is systemd's
/// <c>WATCHDOG_USEC</c>, read from configuration, which holds the process environment.
/// </summary>
public sealed class SystemdWatchdog(ISystemdNotifier notifier, IRequiredActor<ZfsHealthActor> health, IConfiguration configuration, ILogger<SystemdWatchdog> log)
    : BackgroundService
{
    private static readonly ServiceState Alive = new("WATCHDOG=1");

    /// <summary>The watchdog interval systemd asked for through <c>WATCHDOG_USEC</c>, if any.</summary>
    public static TimeSpan? Interval(string? watchdogUsec) =>
        long.TryParse(watchdogUsec, NumberStyles.None, CultureInfo.InvariantCulture, out var usec) && usec > 0
            ? TimeSpan.FromMicroseconds(usec)
            : null;

    /// <summary>
    /// Whether the watchdog is this process's: systemd sets <c>WATCHDOG_PID</c> to the main process,
    /// and a child that inherited the environment (or a process with another pid) must not pet it.
    /// </summary>
    public static bool IsForProcess(string? watchdogPid, int processId) =>
        string.IsNullOrEmpty(watchdogPid) ||
        (int.TryParse(watchdogPid, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid == processId);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!notifier.IsEnabled || Interval(configuration["WATCHDOG_USEC"]) is not { } interval) return;
        if (!IsForProcess(configuration["WATCHDOG_PID"], Environment.ProcessId))
        {
            log.LogWarning("systemd's watchdog is for pid {WatchdogPid}, not this process ({Pid}); not petting it", configuration["WATCHDOG_PID"], Environment.ProcessId);
            return;
        }
        // Hosted services start in order and this one is registered before Akka's: the health actor
        // is not in the registry yet (ActorRef would throw, and a failed BackgroundService
        // stops the host, so the daemon never started under systemd with WatchdogSec set).
        var healthActor = await health.GetAsync(stoppingToken);
        log.LogInformation("systemd watchdog every {Interval}", interval / 2);
        using var timer = new PeriodicTimer(interval / 2);
        do
        {
            try
            {
                await healthActor.Ask<ZfsHealthView>(ZfsHealthActor.Protocol.GetView.Instance, interval / 4, stoppingToken);
                notifier.Notify(Alive);
            }
            catch (AskTimeoutException)
            {
                log.LogError("The actor system did not answer within {Timeout}; not petting the systemd watchdog", interval / 4);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
