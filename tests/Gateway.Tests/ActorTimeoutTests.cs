using System.Net;
using System.Text.Json;
using Akka.Actor;
using Microsoft.AspNetCore.Http;
using DPlaneOS.TestSupport;

namespace DPlaneOS.Gateway.Tests;

/// <summary>An actor that does not answer a route in time becomes a 503 problem the caller may retry, not a 500.</summary>
public sealed class ActorTimeoutTests
{
    [Fact]
    public async Task A_silent_actor_behind_a_route_is_a_503_problem_with_retry_after()
    {
        await using var daemon = await DaemonFixture.StartAsync(new FakeZpool(), routes: app =>
        {
            // Props.Empty: a real actor that never replies, like one waiting out its backoff.
            var silent = app.Services.GetRequiredService<ActorSystem>().ActorOf(Props.Empty, "silent");
            app.MapGet("/test/silent", async (CancellationToken ct) =>
                Results.Ok(await silent.Ask<string>("anyone?", TimeSpan.FromMilliseconds(200), ct)));
        });

        using var response = await daemon.Client(daemon.Token).GetAsync("/test/silent");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("5", response.Headers.GetValues("Retry-After").Single());
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(503, problem.GetProperty("status").GetInt32());
        Assert.Equal("The daemon did not answer in time", problem.GetProperty("title").GetString());
        Assert.StartsWith("GET /test/silent: ", problem.GetProperty("detail").GetString());
        Assert.DoesNotContain("at Akka", problem.GetRawText());
    }

    [Fact]
    public async Task Any_other_exception_stays_a_500_problem_without_a_stack_trace()
    {
        await using var daemon = await DaemonFixture.StartAsync(new FakeZpool(), routes: app =>
            app.MapGet("/test/broken", IResult () => throw new InvalidOperationException("broken on purpose")));

        using var response = await daemon.Client(daemon.Token).GetAsync("/test/broken");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("broken on purpose", await response.Content.ReadAsStringAsync());
    }
}
