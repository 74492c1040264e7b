using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace DPlaneOS.TestSupport.Daemon;

/// <summary>
/// The built daemon (<c>dotnet dplaned.dll</c> beside the test assembly) as a real child process:
/// <c>--urls http://127.0.0.1:&lt;free port&gt; --data-dir DIR --config settings.json</c> plus extra
/// environment. Captures every stdout/stderr line, waits for <c>GET /healthz</c>, and can be killed
/// with SIGKILL (a crash, not a polite stop) and started again on the same data dir.
/// </summary>
public sealed class DaemonProcess : IAsyncDisposable
{
    /// <summary>The settings every test daemon gets unless the test overrides them (as <see cref="DaemonFixture"/>).</summary>
    public static readonly IReadOnlyDictionary<string, string?> DefaultSettings = new Dictionary<string, string?>
    {
        ["DPlaneOS:Status:RefreshInterval"] = "00:00:00.200",
        // Test daemons must not write into (or stop containers of) other pools on the machine.
        ["DPlaneOS:Heartbeat:Enabled"] = "false",
    };

    // Inherited from the test runner, these would change what the daemon does (systemd detection):
    // a test that wants them passes them explicitly.
    private static readonly string[] ScrubbedEnvironment = ["NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID", "LISTEN_FDS", "LISTEN_PID", "INVOCATION_ID"];

    private const int SigKill = 9;
    private const int SigTerm = 15;

    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Found)> _waiters = [];
    private readonly Launch _launch;

    private DaemonProcess(Process process, Launch launch, Uri baseAddress)
    {
        _process = process;
        _launch = launch;
        BaseAddress = baseAddress;
    }

    /// <summary>The daemon's own process id (under a launcher: the launcher's descendant that runs dplaned.dll).</summary>
    public int Pid { get; private set; }
    public string DataDir => _launch.DataDir;
    public string ConfigFile => _launch.ConfigFile;
    public Uri BaseAddress { get; }

    /// <summary>The admin token: read from <c>&lt;data-dir&gt;/api-token</c> at the first start and kept for every restart.</summary>
    public string Token { get; private set; } = "";

    public bool HasExited => _process.HasExited;

    /// <summary>The exit code of the process started (the launcher's, when there is one); 128 + n after signal n.</summary>
    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    /// <summary>Every line the process printed so far (stderr lines prefixed <c>stderr: </c>).</summary>
    public IReadOnlyList<string> Output
    {
        get
        {
            lock (_lines) return _lines.ToArray();
        }
    }

    public string OutputText => string.Join('\n', Output);

    /// <param name="dataDir">A new temporary directory unless given.</param>
    /// <param name="settings">Configuration keys (<c>DPlaneOS:Alerts:Cooldown</c>) written to the <c>--config</c> file, over <see cref="DefaultSettings"/>; a null value removes a default.</param>
    /// <param name="environment">Extra environment variables of the process.</param>
    /// <param name="within">How long the start may take until <c>/healthz</c> answers (default 2 minutes: the machine is shared).</param>
    /// <param name="launcher">A command that runs the daemon as its child, e.g. <c>unshare --pid --fork --kill-child</c>;
    /// signals still go to the daemon itself (<see cref="Pid"/>).</param>
    public static Task<DaemonProcess> StartAsync(
        string? dataDir = null, IReadOnlyDictionary<string, string?>? settings = null,
        IReadOnlyDictionary<string, string?>? environment = null, TimeSpan? within = null, IReadOnlyList<string>? launcher = null) =>
        LaunchAsync(NewLaunch(dataDir, settings, environment, within ?? TimeSpan.FromMinutes(2), launcher), token: null);

    /// <summary>
    /// Runs the daemon on <paramref name="dataDir"/> until it exits by itself: for a start that must be refused.
    /// One still running after <paramref name="within"/> has started after all; it is killed (<see cref="ExitCode"/> 137).
    /// </summary>
    public static async Task<DaemonProcess> RunUntilExitAsync(string dataDir, TimeSpan within)
    {
        var daemon = Spawn(NewLaunch(dataDir, null, null, within, null));
        try
        {
            await daemon._process.WaitForExitAsync().WaitAsync(within);
        }
        catch (TimeoutException)
        {
            await daemon.KillAsync();
        }
        return daemon;
    }

    private static Launch NewLaunch(string? dataDir, IReadOnlyDictionary<string, string?>? settings,
        IReadOnlyDictionary<string, string?>? environment, TimeSpan within, IReadOnlyList<string>? launcher)
    {
        var home = Directory.CreateTempSubdirectory("dplaned-proc-").FullName;
        dataDir ??= Path.Combine(home, "data");
        var merged = new Dictionary<string, string?>(DefaultSettings);
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) merged[key] = value;
        var configFile = Path.Combine(home, "settings.json");
        // Flat keys with ':' are configuration paths to the JSON provider, as nested objects would be.
        File.WriteAllText(configFile, JsonSerializer.Serialize(merged.Where(kv => kv.Value is not null).ToDictionary(kv => kv.Key, kv => kv.Value)));
        return new Launch(Path.GetFullPath(dataDir), configFile, environment ?? new Dictionary<string, string?>(), within, launcher ?? []);
    }

    /// <summary>
    /// A new process on the same data dir, settings and environment (and a new free port); this one
    /// must have exited (<see cref="KillAsync"/> or <see cref="StopAsync"/>). <paramref name="environment"/>
    /// replaces the extra environment when given.
    /// </summary>
    public Task<DaemonProcess> StartAgainAsync(IReadOnlyDictionary<string, string?>? environment = null)
    {
        if (!HasExited) throw new InvalidOperationException($"dplaned (pid {Pid}) is still running; kill or stop it first");
        return LaunchAsync(environment is null ? _launch : _launch with { Environment = environment }, Token);
    }

    private static async Task<DaemonProcess> LaunchAsync(Launch launch, string? token)
    {
        var daemon = Spawn(launch);
        try
        {
            await daemon.WaitForHealthAsync(launch.Within);
            if (launch.Launcher.Count > 0) daemon.Pid = DaemonDescendant(daemon._process.Id) ?? throw daemon.Failure("no process under the launcher runs dplaned.dll");
            daemon.Token = token ?? (await File.ReadAllTextAsync(Path.Combine(launch.DataDir, "api-token"))).Trim();
            return daemon;
        }
        catch
        {
            await daemon.DisposeAsync();
            throw;
        }
    }

    private static DaemonProcess Spawn(Launch launch)
    {
        var port = FreePort();
        string[] command = [.. launch.Launcher, "dotnet", Path.Combine(AppContext.BaseDirectory, "dplaned.dll"),
            "--urls", $"http://127.0.0.1:{port}", "--data-dir", launch.DataDir, "--config", launch.ConfigFile];
        var info = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach (var arg in command.Skip(1)) info.ArgumentList.Add(arg);
        foreach (var name in ScrubbedEnvironment) info.Environment.Remove(name);
        foreach (var (name, value) in launch.Environment)
        {
            if (value is null) info.Environment.Remove(name);
            else info.Environment[name] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var daemon = new DaemonProcess(process, launch, new Uri($"http://127.0.0.1:{port}"));
        process.OutputDataReceived += (_, e) => daemon.OnLine(e.Data, "");
        process.ErrorDataReceived += (_, e) => daemon.OnLine(e.Data, "stderr: ");
        if (!process.Start()) throw new InvalidOperationException($"{string.Join(' ', command)} did not start");
        daemon.Pid = process.Id;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return daemon;
    }

    private async Task WaitForHealthAsync(TimeSpan within)
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var stopwatch = Stopwatch.StartNew();
        string last = "no answer yet";
        while (true)
        {
            if (_process.HasExited)
            {
                await _process.WaitForExitAsync(); // drains the output
                throw Failure($"dplaned exited with {_process.ExitCode} before /healthz answered");
            }
            try
            {
                using var response = await client.GetAsync("/healthz");
                if (response.StatusCode == HttpStatusCode.OK) return;
                last = $"{(int)response.StatusCode} {response.StatusCode}";
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                last = e.Message;
            }
            if (stopwatch.Elapsed > within) throw Failure($"GET /healthz did not answer 200 within {within} (last: {last})");
            await Task.Delay(100);
        }
    }

    /// <summary>An exception whose message carries the captured output: why a daemon did not do what a test waited for.</summary>
    public InvalidOperationException Failure(string what) =>
        new($"{what}; dplaned (pid {Pid}, data dir {DataDir}) printed:\n{OutputText}");

    /// <summary>An HTTP client on the daemon; authenticated with the admin token unless <paramref name="authenticated"/> is false.</summary>
    public HttpClient Client(bool authenticated = true)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        if (authenticated) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        return client;
    }

    /// <summary>The first output line (printed already or later) that matches; fails with the output after <paramref name="within"/>.</summary>
    public async Task<string> WaitForOutputAsync(Func<string, bool> match, TimeSpan within, string what)
    {
        var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lines)
        {
            var seen = _lines.FirstOrDefault(match);
            if (seen is not null) return seen;
            _waiters.Add((match, found));
        }
        try
        {
            return await found.Task.WaitAsync(within);
        }
        catch (TimeoutException)
        {
            throw Failure($"dplaned did not print {what} within {within}");
        }
        finally
        {
            lock (_lines) _waiters.RemoveAll(w => w.Found == found);
        }
    }

    private void OnLine(string? line, string prefix)
    {
        if (line is null) return;
        line = prefix + line;
        lock (_lines)
        {
            _lines.Add(line);
            foreach (var waiter in _waiters.Where(w => w.Match(line))) waiter.Found.TrySetResult(line);
        }
    }

    /// <summary>SIGKILL: the process dies at once, without shutdown hooks, flushes or coordinated shutdown.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited) Signal(SigKill);
        await WaitForExitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>SIGTERM (systemd's stop) and wait for the exit; returns the exit code.</summary>
    public async Task<int> StopAsync(TimeSpan? within = null)
    {
        if (!_process.HasExited) Signal(SigTerm);
        await WaitForExitAsync(within ?? TimeSpan.FromMinutes(1));
        return _process.ExitCode;
    }

    private async Task WaitForExitAsync(TimeSpan within)
    {
        try
        {
            await _process.WaitForExitAsync().WaitAsync(within);
        }
        catch (TimeoutException)
        {
            throw Failure($"dplaned did not exit within {within}");
        }
    }

    private void Signal(int signal)
    {
        if (Kill(Pid, signal) != 0 && !_process.HasExited)
            throw new InvalidOperationException($"kill({Pid}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    /// <summary>The first descendant of <paramref name="pid"/> whose command line runs dplaned.dll (read from /proc).</summary>
    private static int? DaemonDescendant(int pid)
    {
        foreach (var child in File.ReadAllText($"/proc/{pid}/task/{pid}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse))
        {
            if (File.ReadAllText($"/proc/{child}/cmdline").Split('\0').Any(a => a.EndsWith("dplaned.dll", StringComparison.Ordinal))) return child;
            if (DaemonDescendant(child) is { } deeper) return deeper;
        }
        return null;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Kills the process if it still runs; the data dir is left for the test (and for a look after a failure).</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) await KillAsync();
        _process.Dispose();
    }

    private sealed record Launch(string DataDir, string ConfigFile, IReadOnlyDictionary<string, string?> Environment, TimeSpan Within, IReadOnlyList<string> Launcher);
}
