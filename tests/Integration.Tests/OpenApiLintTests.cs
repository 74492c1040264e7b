using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using DPlaneOS.TestSupport;
using DPlaneOS.TestSupport.Lab;

namespace DPlaneOS.Integration.Tests;

/// <summary>
/// The daemon's OpenAPI document under Redocly CLI's recommended rules (tests/tools/redocly, installed by
/// scripts/test.sh with <c>npm ci</c>): no errors, so a client generator can use it.
/// </summary>
public sealed class OpenApiLintTests
{
    private static string ToolDir => Path.Combine(Lab.RepoRoot, "tests", "tools", "redocly");

    private static async Task<JsonElement> LintAsync(string document)
    {
        var redocly = Path.Combine(ToolDir, "node_modules", ".bin", "redocly");
        Assert.True(File.Exists(redocly), $"Redocly CLI is not installed: run 'npm ci' in {ToolDir} (scripts/test.sh does)");
        var file = Path.Combine(Directory.CreateTempSubdirectory("dplaned-openapi-").FullName, "openapi.json");
        await File.WriteAllTextAsync(file, document);
        var start = new ProcessStartInfo(redocly, ["lint", file, "--format=json"])
        {
            WorkingDirectory = ToolDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["REDOCLY_TELEMETRY"] = "off", ["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true" },
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("redocly did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        var text = await output;
        Assert.True(text.TrimStart().StartsWith('{'), $"redocly printed no JSON report: {text} {await errors}");
        return JsonDocument.Parse(text).RootElement;
    }

    private static string Problems(JsonElement report) =>
        string.Join("\n", report.GetProperty("problems").EnumerateArray()
            .Where(p => p.GetProperty("severity").GetString() == "error")
            .Select(p => $"{p.GetProperty("ruleId").GetString()}: {p.GetProperty("message").GetString()}"));

    [Fact]
    public async Task The_openapi_document_has_no_errors_under_the_recommended_rules_and_every_operation_an_id()
    {
        await using var daemon = await DaemonFixture.StartAsync(new FakeZpool());
        var document = await daemon.Client(daemon.Token).GetStringAsync("/openapi/v1.json");
        var report = await LintAsync(document);
        Assert.True(report.GetProperty("totals").GetProperty("errors").GetInt32() == 0, Problems(report));

        var paths = JsonNode.Parse(document)!["paths"]!.AsObject();
        var ids = paths.SelectMany(p => p.Value!.AsObject().Select(o => (string?)o.Value!["operationId"])).ToList();
        Assert.DoesNotContain(null, ids);
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Empty(paths["/healthz"]!["get"]!["security"]!.AsArray());
        Assert.Equal("bearer", (string?)JsonNode.Parse(document)!["components"]!["securitySchemes"]!["bearer"]!["scheme"]);

        // The linter is not a rubber stamp: without the security scheme the same document has errors.
        var broken = JsonNode.Parse(document)!.AsObject();
        broken["components"]!.AsObject().Remove("securitySchemes");
        Assert.True((await LintAsync(broken.ToJsonString())).GetProperty("totals").GetProperty("errors").GetInt32() > 0);
    }
}
