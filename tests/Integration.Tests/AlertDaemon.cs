using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using DPlaneOS.TestSupport;

namespace DPlaneOS.Integration.Tests;

/// <summary>The real daemon with alert retries shortened to 200 ms doubling to 1 s, and helpers over its alert routes.</summary>
internal static class AlertDaemon
{
    public static readonly Dictionary<string, string> FastRetries = new()
    {
        ["DPlaneOS:AlertDelivery:Webhooks:Retry:InitialDelay"] = "00:00:00.200",
        ["DPlaneOS:AlertDelivery:Webhooks:Retry:MaxDelay"] = "00:00:01",
        ["DPlaneOS:AlertDelivery:Smtp:Retry:InitialDelay"] = "00:00:00.200",
        ["DPlaneOS:AlertDelivery:Smtp:Retry:MaxDelay"] = "00:00:01",
        ["DPlaneOS:AlertDelivery:Smtp:Timeout"] = "00:00:05",
    };

    public static Task<DaemonFixture> StartAsync(string? dataDir = null, IDictionary<string, string>? more = null)
    {
        var settings = new Dictionary<string, string>(FastRetries);
        foreach (var (key, value) in more ?? new Dictionary<string, string>()) settings[key] = value;
        return DaemonFixture.StartAsync(dataDir: dataDir, settings: settings);
    }

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static async Task<int> CreateWebhookAsync(this DaemonFixture daemon, string json)
    {
        var response = await daemon.Client(daemon.Token).PostAsync("/api/alerts/webhooks", Json(json));
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"creating the webhook gave {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetInt32();
    }

    public static async Task<JsonElement> WebhookAsync(this DaemonFixture daemon, int id) =>
        await daemon.Client(daemon.Token).GetFromJsonAsync<JsonElement>($"/api/alerts/webhooks/{id}");

    public static async Task<JsonElement> PutSmtpAsync(this DaemonFixture daemon, string json)
    {
        var response = await daemon.Client(daemon.Token).PutAsync("/api/alerts/smtp", Json(json));
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"PUT /api/alerts/smtp gave {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement;
    }

    public static async Task<JsonElement> PostForJsonAsync(this DaemonFixture daemon, string path)
    {
        var response = await daemon.Client(daemon.Token).PostAsync(path, null);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST {path} gave {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement;
    }

    /// <summary>Polls <paramref name="read"/> until <paramref name="done"/>; fails with the last value otherwise.</summary>
    public static async Task<JsonElement> EventuallyAsync(Func<Task<JsonElement>> read, Func<JsonElement, bool> done, TimeSpan within, string what)
    {
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            var value = await read();
            if (done(value)) return value;
            if (stopwatch.Elapsed > within) Assert.Fail($"{what} did not happen within {within}; last: {value}");
            await Task.Delay(50);
        }
    }
}
