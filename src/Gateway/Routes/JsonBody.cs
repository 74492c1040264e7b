namespace DPlaneOS.Gateway.Routes;

/// <summary>How routes read a JSON body checked field by field: 400 for JSON that does not parse, 400 with errors by field otherwise.</summary>
internal static class JsonBody
{
    /// <summary>The body parsed by <paramref name="parse"/>, or the problem to answer.</summary>
    public static async Task<(T? Request, IResult? Problem)> ReadAsync<T>(
        HttpRequest request, Func<JsonElement, (T? Request, IDictionary<string, string[]> Errors)> parse, CancellationToken ct)
        where T : class
    {
        JsonElement body;
        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: ct);
            body = document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            return (null, Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The request body is not valid JSON", detail: ex.Message));
        }
        var (parsed, errors) = parse(body);
        return parsed is null ? (null, Results.ValidationProblem(errors)) : (parsed, null);
    }
}
