using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace DPlaneOS.TestSupport.Alerts;

/// <summary>
/// A real HTTP webhook receiver (Kestrel) on 127.0.0.1. It records every request with the status it
/// answered, can answer with any status (503 while "failing"), and can go down (connections
/// refused) and come back up on the same port.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly ConcurrentQueue<ReceivedRequest> _requests = new();
    private WebApplication? _app;
    private volatile int _status = 200;
    private volatile Holding? _holding;

    private WebhookReceiver()
    {
    }

    public int Port { get; private set; }

    public string Url => $"http://127.0.0.1:{Port}/hook";

    public bool IsUp => _app is not null;

    /// <summary>The status every request is answered with (200 unless changed).</summary>
    public int Status
    {
        get => _status;
        set => _status = value;
    }

    public IReadOnlyList<ReceivedRequest> Requests => _requests.ToArray();

    /// <summary>
    /// From now on every request is read and then left unanswered (a receiver that took the
    /// connection and hangs) until <see cref="Release"/>, or until the client goes away. The task
    /// completes with the first request held (<see cref="ReceivedRequest.AnsweredStatus"/> 0); a held
    /// request appears in <see cref="Requests"/> only if it is answered after the release.
    /// </summary>
    public Task<ReceivedRequest> HoldAsync()
    {
        var holding = new Holding();
        _holding = holding;
        return holding.FirstHeld.Task;
    }

    /// <summary>Answers the held requests whose clients are still there, and holds no more.</summary>
    public void Release() => Interlocked.Exchange(ref _holding, null)?.Released.TrySetResult();

    /// <summary>Requests answered with a 2xx: deliveries the daemon must consider done.</summary>
    public IReadOnlyList<ReceivedRequest> Accepted => Requests.Where(r => r.AnsweredStatus is >= 200 and < 300).ToList();

    public static async Task<WebhookReceiver> StartAsync(int port = 0)
    {
        var receiver = new WebhookReceiver();
        await receiver.UpAsync(port);
        return receiver;
    }

    /// <summary>Listens again (on the same port after <see cref="DownAsync"/>).</summary>
    public async Task UpAsync(int? port = null)
    {
        if (_app is not null) return;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port ?? Port));
        var app = builder.Build();
        app.Run(async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            ReceivedRequest Received(int status) => new(
                DateTimeOffset.UtcNow,
                context.Request.Method,
                context.Request.Path + context.Request.QueryString,
                context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
                body.ToArray(),
                status);
            if (_holding is { } holding)
            {
                holding.FirstHeld.TrySetResult(Received(0));
                // Ends without an answer when the client goes away (a killed daemon closes the connection).
                await holding.Released.Task.WaitAsync(context.RequestAborted);
            }
            var status = _status;
            _requests.Enqueue(Received(status));
            context.Response.StatusCode = status;
        });
        await app.StartAsync();
        Port = new Uri(app.Urls.First()).Port;
        _app = app;
    }

    /// <summary>Stops listening: connections are refused until <see cref="UpAsync"/>.</summary>
    public async Task DownAsync()
    {
        if (_app is null) return;
        var app = _app;
        _app = null;
        await app.StopAsync();
        await app.DisposeAsync();
    }

    /// <summary>Waits until <paramref name="done"/> holds for the requests so far; fails with what arrived otherwise.</summary>
    public async Task<IReadOnlyList<ReceivedRequest>> WaitForAsync(Func<IReadOnlyList<ReceivedRequest>, bool> done, TimeSpan within, string what)
    {
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            var requests = Requests;
            if (done(requests)) return requests;
            if (stopwatch.Elapsed > within)
                throw new TimeoutException($"The webhook receiver did not see {what} within {within}; it got {requests.Count} requests:\n" +
                    string.Join('\n', requests.Select(r => $"  {r.AnsweredStatus} {r.Text}")));
            await Task.Delay(50);
        }
    }

    public ValueTask DisposeAsync()
    {
        Release();
        return new(DownAsync());
    }

    private sealed class Holding
    {
        public TaskCompletionSource<ReceivedRequest> FirstHeld { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Released { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

/// <summary>One request as the receiver saw it, and the status it answered.</summary>
public sealed record ReceivedRequest(
    DateTimeOffset At,
    string Method,
    string Path,
    IReadOnlyDictionary<string, string> Headers,
    byte[] Body,
    int AnsweredStatus)
{
    public string Text => System.Text.Encoding.UTF8.GetString(Body);

    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}
