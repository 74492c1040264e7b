using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;
using DPlaneOS.TestSupport;
using Xunit.Abstractions;

namespace DPlaneOS.Integration.Tests.Crash;

/// <summary>
/// systemd's notify protocol against a real AF_UNIX datagram socket, from the real daemon process.
/// Microsoft.Extensions.Hosting.Systemd only speaks it when the parent process is systemd, or when
/// the process is PID 1 with NOTIFY_SOCKET set (the container convention). The test uses the second:
/// <c>unshare --pid --fork</c> makes the daemon PID 1 of a new PID namespace, which needs root and
/// nothing else, and changes nothing the daemon does otherwise.
/// </summary>
// Alone, not beside the crash tests' concurrent writers: it measures the pace of the pets.
[Collection(ZfsFuseCollection.Name)]
public sealed class SystemdNotifyTests(ITestOutputHelper output)
{
    private static readonly string[] PidNamespace = ["unshare", "--pid", "--fork", "--kill-child"];
    // systemd's WatchdogSec; short for the test, long enough that a loaded 2-core machine still pets in time.
    private static readonly TimeSpan WatchdogInterval = TimeSpan.FromSeconds(4);

    [Fact]
    public async Task Under_systemd_the_daemon_sends_ready_pets_the_watchdog_at_half_its_interval_and_says_stopping_on_sigterm()
    {
        using var socket = NotifySocket.Bind();
        await using var daemon = await DaemonProcess.StartAsync(
            environment: new Dictionary<string, string?>
            {
                ["NOTIFY_SOCKET"] = socket.Path,
                ["WATCHDOG_USEC"] = ((long)WatchdogInterval.TotalMicroseconds).ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
            launcher: PidNamespace);

        // Only watchdog pets may come before READY=1 (the watchdog starts with the host, READY=1 once it has started).
        var ready = await socket.ReceiveUntilAsync(m => m != "WATCHDOG=1", TimeSpan.FromSeconds(30));
        Assert.Equal("READY=1", ready.Message);
        await daemon.WaitForOutputAsync(l => l.Contains("systemd watchdog every 00:00:02", StringComparison.Ordinal), TimeSpan.FromSeconds(10), "the watchdog's start line");

        // The first ticks after the start may catch up on a start that was slow (a late tick is
        // followed at once by the next): the pace is measured on the pets after them.
        for (var warmup = 0; warmup < 2; warmup++)
            Assert.Equal("WATCHDOG=1", (await socket.ReceiveAsync(WatchdogInterval * 2)).Message);
        var pets = new List<TimeSpan>();
        while (pets.Count < 5)
        {
            var next = await socket.ReceiveAsync(WatchdogInterval * 2);
            Assert.Equal("WATCHDOG=1", next.Message);
            pets.Add(next.At);
        }
        var gaps = pets.Zip(pets.Skip(1), (a, b) => b - a).ToList();
        output.WriteLine($"WATCHDOG=1 gaps: {string.Join(", ", gaps.Select(g => $"{g.TotalMilliseconds:0} ms"))}");
        // systemd restarts a unit that is silent for WatchdogSec; the daemon pets at half of it (a late tick is
        // followed at once by the next, so single gaps may be short, but not the pace).
        Assert.All(gaps, g => Assert.True(g < WatchdogInterval, $"a gap of {g} would have made systemd restart the daemon"));
        Assert.InRange(pets[^1] - pets[0], WatchdogInterval / 2 * (pets.Count - 2), WatchdogInterval * (pets.Count - 1));

        Assert.Equal(0, await daemon.StopAsync());
        var stopping = await socket.ReceiveUntilAsync(m => m != "WATCHDOG=1", TimeSpan.FromSeconds(30));
        Assert.Equal("STOPPING=1", stopping.Message);
    }

    /// <summary>
    /// A bound AF_UNIX datagram socket, as systemd's NOTIFY_SOCKET is; each datagram is one
    /// notification, read as it arrives and stamped with its arrival time.
    /// </summary>
    private sealed class NotifySocket : IDisposable
    {
        private readonly Socket _socket;
        private readonly string _directory;
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly Channel<(TimeSpan At, string Message)> _received = Channel.CreateUnbounded<(TimeSpan, string)>();

        private NotifySocket(Socket socket, string directory, string path)
        {
            _socket = socket;
            _directory = directory;
            Path = path;
            _ = Task.Run(ReceiveLoopAsync);
        }

        public string Path { get; }

        public static NotifySocket Bind()
        {
            var directory = Directory.CreateTempSubdirectory("dplaned-notify-").FullName;
            var path = System.IO.Path.Combine(directory, "notify");
            var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
            socket.Bind(new UnixDomainSocketEndPoint(path));
            return new NotifySocket(socket, directory, path);
        }

        private async Task ReceiveLoopAsync()
        {
            var buffer = new byte[4096];
            try
            {
                while (true)
                {
                    var read = await _socket.ReceiveAsync(buffer, SocketFlags.None);
                    _received.Writer.TryWrite((_clock.Elapsed, Encoding.UTF8.GetString(buffer, 0, read).Trim()));
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                _received.Writer.TryComplete();
            }
        }

        /// <summary>The next notification and when it arrived (since the socket was bound).</summary>
        public async Task<(TimeSpan At, string Message)> ReceiveAsync(TimeSpan within)
        {
            try
            {
                return await _received.Reader.ReadAsync().AsTask().WaitAsync(within);
            }
            catch (TimeoutException)
            {
                throw new TimeoutException($"no notification on {Path} within {within}");
            }
        }

        public async Task<(TimeSpan At, string Message)> ReceiveUntilAsync(Func<string, bool> match, TimeSpan within)
        {
            var deadline = _clock.Elapsed + within;
            while (true)
            {
                var left = deadline - _clock.Elapsed;
                var next = await ReceiveAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero);
                if (match(next.Message)) return next;
            }
        }

        public void Dispose()
        {
            _socket.Dispose();
            Directory.Delete(_directory, recursive: true);
        }
    }
}
