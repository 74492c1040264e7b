using System.Text;
using DPlaneOS.Gateway.Audit;
using Microsoft.AspNetCore.Http;

namespace DPlaneOS.Gateway.Tests.Audit;

public sealed class AuditRequestSummaryTests
{
    private static DefaultHttpContext Request(string method, string path, string? body, string? contentType = "application/json", bool chunked = false)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Path = path;
        if (body is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            context.Request.Body = new MemoryStream(bytes);
            if (chunked) context.Request.Headers.TransferEncoding = "chunked";
            else context.Request.ContentLength = bytes.Length;
            context.Request.ContentType = contentType;
        }
        return context;
    }

    [Fact]
    public async Task The_endpoint_still_reads_the_whole_body_after_the_summary()
    {
        const string body = """{"pool":"tank","password":"qz","nested":{"a":{"b":{"c":{"d":1}}}}}""";
        var context = Request("POST", "/api/x", body, chunked: true);
        var details = await AuditRequestSummary.DetailsAsync(context.Request, CancellationToken.None);
        Assert.Equal("tank", details["body.pool"]);
        Assert.Equal("***", details["body.password"]);
        // Depth is bounded: the fourth level is described, not expanded.
        Assert.Equal("{…}", details["body.nested.a.b.c"]);
        Assert.Equal(body, await new StreamReader(context.Request.Body).ReadToEndAsync());
    }

    [Fact]
    public async Task Url_fields_keep_only_their_origin_and_header_values_are_masked()
    {
        const string body = """
            {"name":"slack","url":"https://hooks.slack.com/services/T000/B000/XXXXSECRET",
             "target":{"endpoint":"https://api.telegram.org/bot123:ABC/sendMessage"},
             "headers":{"X-Team":"storage-team-qz","Authorization":"Bearer qz-bearer"}}
            """;
        var context = Request("PUT", "/api/alerts/webhooks/1", body);
        context.Request.QueryString = new QueryString("?callback=https%3A%2F%2Fhooks.example%2Fqz-query-path");
        var details = await AuditRequestSummary.DetailsAsync(context.Request, CancellationToken.None);
        Assert.Equal("slack", details["body.name"]);
        Assert.Equal("https://hooks.slack.com", details["body.url"]);
        Assert.Equal("https://api.telegram.org", details["body.target.endpoint"]);
        Assert.Equal("https://hooks.example", details["query.callback"]);
        // Header names say what was configured; their values are write-only like the secret.
        Assert.Equal("***", details["body.headers.X-Team"]);
        Assert.Equal("***", details["body.headers.Authorization"]);
        foreach (var secret in new[] { "XXXXSECRET", "T000", "bot123", "ABC", "qz" })
            Assert.DoesNotContain(details.Values, v => v.Contains(secret, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("not json at all", "application/json", "invalid JSON, 15 bytes")]
    [InlineData("[1,2,3]", "application/json", "[3 items]")]
    [InlineData("user=alice&password=qz", "application/x-www-form-urlencoded", "application/x-www-form-urlencoded, 22 bytes, not recorded")]
    public async Task Other_bodies_are_described_never_copied(string body, string contentType, string expected)
    {
        var details = await AuditRequestSummary.DetailsAsync(Request("POST", "/api/x", body, contentType).Request, CancellationToken.None);
        Assert.Equal(expected, details["body"]);
        Assert.DoesNotContain(details.Values, v => v.Contains("qz"));
    }

    [Fact]
    public async Task Large_bodies_are_not_summarized_even_when_streamed()
    {
        var big = "{\"data\":\"" + new string('x', AuditRequestSummary.MaxSummarizedBody) + "\"}";
        var declared = await AuditRequestSummary.DetailsAsync(Request("POST", "/api/x", big).Request, CancellationToken.None);
        Assert.Contains("not recorded", declared["body"]);
        var streamed = Request("POST", "/api/x", big, chunked: true);
        var details = await AuditRequestSummary.DetailsAsync(streamed.Request, CancellationToken.None);
        Assert.Contains($"over {AuditRequestSummary.MaxSummarizedBody} bytes", details["body"]);
        Assert.Equal(big.Length, (await new StreamReader(streamed.Request.Body).ReadToEndAsync()).Length);
    }

    [Fact]
    public async Task No_body_adds_no_body_detail_and_query_values_are_masked_by_name()
    {
        var context = Request("DELETE", "/api/x", null);
        context.Request.QueryString = new QueryString("?force=true&api_key=qz");
        var details = await AuditRequestSummary.DetailsAsync(context.Request, CancellationToken.None);
        Assert.False(details.ContainsKey("body"));
        Assert.Equal("true", details["query.force"]);
        Assert.Equal("***", details["query.api_key"]);
    }

    [Theory]
    [InlineData("POST", "/api/x", true)]
    [InlineData("PUT", "/API/x", true)]
    [InlineData("DELETE", "/api", true)]
    [InlineData("PATCH", "/api/x", true)]
    [InlineData("GET", "/api/x", false)]
    [InlineData("HEAD", "/api/x", false)]
    [InlineData("OPTIONS", "/api/x", false)]
    [InlineData("POST", "/apix", false)]
    [InlineData("POST", "/healthz", false)]
    public void Mutating_api_requests_are_the_ones_audited(string method, string path, bool audited) =>
        Assert.Equal(audited, AuditTrailMiddleware.IsMutatingApiRequest(Request(method, path, null).Request));
}
