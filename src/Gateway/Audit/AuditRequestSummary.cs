using System.Buffers;
using DPlaneOS.Actors.Audit;
using Microsoft.AspNetCore.Http.Extensions;

namespace DPlaneOS.Gateway.Audit;

/// <summary>
/// The details an audited request leaves in the chain: route values, query values and a summary
/// of a small JSON body (field by field), every value passed through <see cref="AuditRedaction"/>
/// (URLs keep only their origin). Bodies are never copied whole: a secret under an unexpected name
/// would stay in the chain forever. The values inside a <c>headers</c> object (a webhook's
/// write-only header values, often credentials) are masked; their names are kept.
/// </summary>
public static class AuditRequestSummary
{
    /// <summary>JSON bodies up to this size are summarized; larger or streamed bodies only by their size.</summary>
    public const int MaxSummarizedBody = 64 * 1024;
    private const int MaxBodyFields = 64;
    private const int MaxDepth = 4;

    public static async Task<Dictionary<string, string>> DetailsAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var details = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in request.RouteValues)
            details["route." + name] = AuditRedaction.Value(name, Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));
        foreach (var (name, values) in request.Query)
            details["query." + name] = AuditRedaction.Value(name, values.ToString());
        await SummarizeBodyAsync(request, details, cancellationToken);
        return details;
    }

    private static async Task SummarizeBodyAsync(HttpRequest request, Dictionary<string, string> details, CancellationToken cancellationToken)
    {
        var length = request.ContentLength;
        if (length is 0 || (length is null && request.Headers.TransferEncoding.Count == 0)) return;
        var contentType = request.ContentType ?? "no content type";
        if (!request.HasJsonContentType() || length > MaxSummarizedBody)
        {
            details["body"] = length is null ? $"{contentType}, streamed, not recorded" : $"{contentType}, {length} bytes, not recorded";
            return;
        }

        // Buffer so the endpoint reads the same bytes after us; a streamed body is read only up to the cap.
        request.EnableBuffering();
        var buffer = ArrayPool<byte>.Shared.Rent(MaxSummarizedBody + 1);
        try
        {
            var read = 0;
            try
            {
                int chunk;
                while (read <= MaxSummarizedBody && (chunk = await request.Body.ReadAsync(buffer.AsMemory(read, MaxSummarizedBody + 1 - read), cancellationToken)) > 0)
                    read += chunk;
            }
            finally
            {
                request.Body.Position = 0;
            }
            if (read > MaxSummarizedBody)
                details["body"] = $"{contentType}, over {MaxSummarizedBody} bytes, not recorded";
            else
                SummarizeJson(buffer.AsMemory(0, read), details);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void SummarizeJson(ReadOnlyMemory<byte> body, Dictionary<string, string> details)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var fields = 0;
            if (document.RootElement.ValueKind == JsonValueKind.Object)
                Flatten(document.RootElement, "body.", 0, details, ref fields);
            else
                details["body"] = Describe(document.RootElement);
        }
        catch (JsonException)
        {
            details["body"] = $"invalid JSON, {body.Length} bytes";
        }
    }

    private static void Flatten(JsonElement element, string prefix, int depth, Dictionary<string, string> details, ref int fields, bool maskValues = false)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (++fields > MaxBodyFields)
            {
                details[prefix + "…"] = "more fields not recorded";
                return;
            }
            var name = prefix + property.Name;
            if (maskValues || AuditRedaction.IsSensitiveName(property.Name))
                details[name] = AuditRedaction.Mask;
            else if (property.Value.ValueKind == JsonValueKind.Object && depth + 1 < MaxDepth)
                Flatten(property.Value, name + ".", depth + 1, details, ref fields,
                    maskValues: string.Equals(property.Name, "headers", StringComparison.OrdinalIgnoreCase));
            else
                details[name] = AuditRedaction.Value(property.Name, Describe(property.Value));
        }
    }

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() ?? "",
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null => value.GetRawText(),
        JsonValueKind.Array => $"[{value.GetArrayLength()} items]",
        JsonValueKind.Object => "{…}",
        _ => value.ValueKind.ToString(),
    };
}
