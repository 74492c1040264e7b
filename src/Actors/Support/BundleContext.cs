using System.Text.Json;

namespace DPlaneOS.Actors.Support;

/// <summary>What every section may need while planning its entries.</summary>
/// <param name="Json">How JSON entries are written (the API's conventions, indented).</param>
public sealed record BundleContext(DateTimeOffset GeneratedAt, string Host, JsonSerializerOptions Json);
