using System.Runtime.CompilerServices;

namespace DPlaneOS.Gateway.Routes;

/// <summary>
/// Serializes each immutable report once: the view changes every refresh (10 s), requests come
/// thousands of times a second, so the bytes are cached per report instance.
/// </summary>
public sealed class SerializedViews(IOptions<JsonOptions> json)
{
    private readonly ConditionalWeakTable<object, byte[]> _bytes = new();

    public IResult Json<TView, TReport>(TView view, Func<TView, TReport> select)
        where TReport : class
    {
        var report = select(view);
        var bytes = _bytes.GetValue(report, r => JsonSerializer.SerializeToUtf8Bytes(r, r.GetType(), json.Value.SerializerOptions));
        return Results.Bytes(bytes, "application/json; charset=utf-8");
    }
}
