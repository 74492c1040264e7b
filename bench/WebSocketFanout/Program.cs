using System.Buffers.Text;
using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using Akka.Actor;
using DPlaneOS.Actors.Events;
using DPlaneOS.Gateway.WebSockets;
using DPlaneOS.TestSupport;
using DPlaneOS.TestSupport.Daemon;
using Microsoft.Extensions.DependencyInjection;
using DPlaneOS.Actors.Node;

namespace DPlaneOS.Bench.WebSocketFanout;

/// <summary>
/// Fan-out of monitor events to many WebSocket clients: the real daemon in this process on a loopback
/// port, <c>--clients</c> real ClientWebSockets, <c>--events</c> events published on the daemon's bus at
/// <c>--rate</c> per second. Each event carries its publish time; every client records the delay to its
/// arrival. Phase A measures that; phase B repeats it with one more client that never reads, fed large
/// filler events (which the other clients filter out) until the daemon drops it, and reports whether the
/// others noticed. Bounded: fixed counts, a deadline per phase, loopback only.
/// </summary>
public static class Program
{
    /// <summary>The node of a test daemon without DPlaneOS:NodeName: its host name.</summary>
    private static readonly NodeIdentity DaemonNode = NodeIdentity.Named(Environment.MachineName);

    private const string LatencyType = "bench.latency";
    private const string FillerType = "filler.blob";

    public static async Task<int> Main(string[] args)
    {
        var clients = IntArg(args, "--clients", 1000);
        var events = IntArg(args, "--events", 400);
        var rate = IntArg(args, "--rate", 20);
        var deadline = TimeSpan.FromSeconds(events / (double)rate + 60);

        Console.WriteLine($"WebSocket fan-out: {clients} clients, {events} events at {rate}/s per phase, {Environment.ProcessorCount} cores, .NET {Environment.Version}");
        // The machine may be shared: the load says how much of it this run had.
        Console.WriteLine($"load average before: {LoadAverage()}");
        var daemon = await DaemonFixture.StartAsync(settings: new Dictionary<string, string>
        {
            ["DPlaneOS:Status:RefreshInterval"] = "01:00:00",
            ["DPlaneOS:Logging:MinimumLevel"] = "Warning",
        });
        try
        {
            var system = daemon.App.Services.GetRequiredService<ActorSystem>();
            var sessions = daemon.App.Services.GetRequiredService<MonitorSocketSessions>();

            var connect = Stopwatch.StartNew();
            var fleet = new List<MeasuringClient>();
            for (var batch = 0; batch < clients; batch += 50)
                fleet.AddRange(await Task.WhenAll(Enumerable.Range(batch, Math.Min(50, clients - batch)).Select(_ => MeasuringClient.ConnectAsync(daemon, $"types={LatencyType}"))));
            Console.WriteLine($"connected and ready: {fleet.Count} clients in {connect.Elapsed.TotalSeconds:F1} s");

            // Warm-up (JIT, buffers, thread pool), not measured.
            await RunPhaseAsync(system, fleet, Math.Min(events, 100), rate, deadline, stalled: null);
            // What the daemon and the idle clients burn with no events (timers, keep-alives).
            var idleBefore = Process.GetCurrentProcess().TotalProcessorTime;
            await Task.Delay(TimeSpan.FromSeconds(5));
            IdleCpuPerSecond = (Process.GetCurrentProcess().TotalProcessorTime - idleBefore) / 5;
            Console.WriteLine($"idle cpu with {fleet.Count} open connections: {IdleCpuPerSecond.TotalMilliseconds:F0} ms per second");
            var phaseA = await RunPhaseAsync(system, fleet, events, rate, deadline, stalled: null);
            Report("A  all clients reading", phaseA, fleet.Count, events);

            await using var stalled = await (await MonitorSocketClient.ConnectAsync(daemon, daemon.Token)).ReadyAsync();
            var phaseB = await RunPhaseAsync(system, fleet, events, rate, deadline, stalled: sessions);
            Report("B  plus one stalled client", phaseB, fleet.Count, events);
            Console.WriteLine($"   stalled client: {(sessions.ClosedSlow > 0 ? $"closed by the daemon (1008) after {phaseB.FillersUntilClosed} filler events of 64 KB" : "NOT closed")}; " +
                              $"p99 change for the others {phaseB.P(0.99) - phaseA.P(0.99):+0.0;-0.0} ms");
            // The stalled client gets CloseTimeout (5 s) to take its close frame before it is aborted.
            for (var wait = 0; wait < 100 && sessions.Open > fleet.Count; wait++) await Task.Delay(100);
            Console.WriteLine($"   open sessions now {sessions.Open}, slow clients closed {sessions.ClosedSlow}");

            Console.WriteLine($"load average after: {LoadAverage()}");
            foreach (var client in fleet) await client.DisposeAsync();
            var ok = phaseA.Lost == 0 && phaseB.Lost == 0 && sessions.ClosedSlow == 1;
            Console.WriteLine(ok ? "result: every reading client got every event" : "result: FAILED (lost events or the stalled client was not closed)");
            return ok ? 0 : 1;
        }
        finally
        {
            await daemon.DisposeAsync();
        }
    }

    private static async Task<PhaseResult> RunPhaseAsync(
        ActorSystem system, List<MeasuringClient> fleet, int events, int rate, TimeSpan deadline, MonitorSocketSessions? stalled)
    {
        foreach (var client in fleet) client.Expect(events);
        var filler = new Dictionary<string, string> { ["blob"] = new string('f', 64 * 1024) };
        var fillers = 0;
        int? fillersUntilClosed = null;
        var started = Stopwatch.GetTimestamp();
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        for (var i = 0; i < events; i++)
        {
            // Paced against the start, so a slow step does not shift every later one.
            var due = TimeSpan.FromSeconds(i / (double)rate) - Stopwatch.GetElapsedTime(started);
            if (due > TimeSpan.Zero) await Task.Delay(due);
            var data = new Dictionary<string, string>
            {
                ["seq"] = i.ToString(CultureInfo.InvariantCulture),
                ["sent"] = Stopwatch.GetTimestamp().ToString(CultureInfo.InvariantCulture),
            };
            MonitorBus.Publish(system, MonitorEvent.Create(DaemonNode, LatencyType, Severity.Info, "bench", DateTimeOffset.UtcNow, data));
            if (stalled is not null && stalled.ClosedSlow == 0)
            {
                // Enough filler that the stalled client overflows within the phase (~200 of 64 KB do).
                for (var f = 0; f < Math.Max(1, 400 / events); f++)
                    MonitorBus.Publish(system, MonitorEvent.Create(DaemonNode, FillerType, Severity.Info, "bench", DateTimeOffset.UtcNow, filler));
                fillers += Math.Max(1, 400 / events);
            }
            else if (stalled is not null && fillersUntilClosed is null)
            {
                fillersUntilClosed = fillers;
            }
        }

        using var timeout = new CancellationTokenSource(deadline);
        await Task.WhenAll(fleet.Select(c => c.CompletedAsync(timeout.Token)));
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        var latencies = fleet.SelectMany(c => c.Latencies).ToArray();
        Array.Sort(latencies);
        var lost = fleet.Sum(c => events - c.Received);
        return new PhaseResult(latencies, lost, Stopwatch.GetElapsedTime(started), cpu, fillersUntilClosed ?? fillers);
    }

    private static void Report(string phase, PhaseResult result, int clients, int events)
    {
        Console.WriteLine($"{phase}: {result.Latencies.Length:N0} deliveries ({clients} x {events}) in {result.Elapsed.TotalSeconds:F1} s, lost {result.Lost}");
        // CPU per delivery is the figure a shared machine cannot distort much: daemon and clients together, this process.
        var busy = result.Cpu - IdleCpuPerSecond * result.Elapsed.TotalSeconds;
        Console.WriteLine($"   cpu {result.Cpu.TotalSeconds:F1} s, {busy.TotalSeconds:F1} s above idle = {busy.TotalMicroseconds / Math.Max(1, result.Latencies.Length):F1} us per delivery (daemon + clients)");
        Console.WriteLine($"   latency publish->client ms: p50 {result.P(0.50):F2}  p90 {result.P(0.90):F2}  p99 {result.P(0.99):F2}  p99.9 {result.P(0.999):F2}  max {result.P(1):F2}");
    }

    private static TimeSpan IdleCpuPerSecond { get; set; }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static int IntArg(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length && int.TryParse(args[at + 1], out var value) && value > 0 ? value : fallback;
    }

    private sealed record PhaseResult(double[] Latencies, long Lost, TimeSpan Elapsed, TimeSpan Cpu, int FillersUntilClosed)
    {
        public double P(double quantile) =>
            Latencies.Length == 0 ? double.NaN : Latencies[Math.Min(Latencies.Length - 1, (int)Math.Ceiling(quantile * Latencies.Length) - 1)];
    }

    /// <summary>A client that reads continuously and records, per event, the milliseconds from publish to arrival.</summary>
    private sealed class MeasuringClient : IAsyncDisposable
    {
        private readonly ClientWebSocket _socket;
        private readonly Task _reading;
        private double[] _latencies = [];
        private int _received;
        private TaskCompletionSource _complete = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private MeasuringClient(ClientWebSocket socket)
        {
            _socket = socket;
            _reading = Task.Run(ReadAsync);
        }

        public int Received => Volatile.Read(ref _received);

        public IEnumerable<double> Latencies => _latencies.Take(Received);

        public static async Task<MeasuringClient> ConnectAsync(DaemonFixture daemon, string query)
        {
            var client = await (await MonitorSocketClient.ConnectAsync(daemon, daemon.Token, query)).ReadyAsync();
            return new MeasuringClient(client.Socket);
        }

        public void Expect(int events)
        {
            _latencies = new double[events];
            Volatile.Write(ref _received, 0);
            _complete = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        public async Task CompletedAsync(CancellationToken timeout)
        {
            try
            {
                await _complete.Task.WaitAsync(timeout);
            }
            catch (OperationCanceledException)
            {
                // Counted as lost.
            }
        }

        private async Task ReadAsync()
        {
            var buffer = new byte[16 * 1024];
            while (true)
            {
                var filled = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(buffer.AsMemory(filled), CancellationToken.None);
                    if (result.MessageType == WebSocketMessageType.Close) return;
                    filled += result.Count;
                } while (!result.EndOfMessage);

                var arrived = Stopwatch.GetTimestamp();
                var sent = SentTimestamp(buffer.AsSpan(0, filled));
                var index = Received;
                if (index < _latencies.Length) _latencies[index] = Stopwatch.GetElapsedTime(sent, arrived).TotalMilliseconds;
                Volatile.Write(ref _received, index + 1);
                if (index + 1 == _latencies.Length) _complete.TrySetResult();
            }
        }

        /// <summary>The <c>"sent":"…"</c> value of a frame: a plain scan, so the clients cost little of the CPU being measured.</summary>
        private static long SentTimestamp(ReadOnlySpan<byte> frame)
        {
            var at = frame.IndexOf("\"sent\":\""u8);
            if (at < 0) throw new InvalidDataException($"frame without a sent time: {System.Text.Encoding.UTF8.GetString(frame)}");
            var value = frame[(at + 8)..];
            return Utf8Parser.TryParse(value[..value.IndexOf((byte)'"')], out long sent, out _)
                ? sent
                : throw new InvalidDataException("unreadable sent time");
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", timeout.Token);
                await _reading.WaitAsync(timeout.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
                // The daemon may already be gone.
            }
            _socket.Dispose();
        }
    }
}
