using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DPlaneOS.Gateway.Auth;

namespace DPlaneOS.TestSupport.Daemon;

public static class DaemonTokens
{
    /// <summary>A token of <paramref name="role"/>, made through the daemon's own route so it is in force at once.</summary>
    public static async Task<string> CreateTokenAsync(this DaemonFixture daemon, string name, TokenRole role)
    {
        var created = await daemon.Client(daemon.Token).PostAsJsonAsync("/api/system/tokens", new { name, role = role.Name() });
        if (created.StatusCode != HttpStatusCode.Created)
            throw new InvalidOperationException($"POST /api/system/tokens answered {(int)created.StatusCode}: {await created.Content.ReadAsStringAsync()}");
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }
}
