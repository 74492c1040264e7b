using Microsoft.AspNetCore.Diagnostics;

namespace DPlaneOS.Gateway.Hosting;

/// <summary>
/// An actor that does not answer a route in time is usually one restarting under its backoff
/// supervisor (after a journal or host-command failure): that is a 503 the caller may retry,
/// not a 500 with a stack trace.
/// </summary>
public sealed class ActorTimeoutProblemHandler(IProblemDetailsService problems, ILogger<ActorTimeoutProblemHandler> log) : IExceptionHandler
{
    public const int RetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not AskTimeoutException) return false;
        var request = $"{http.Request.Method} {http.Request.Path}";
        log.LogWarning("{Request}: the actor behind it did not answer in time ({Reason}); answered 503", request, exception.Message);
        http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        http.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            Exception = exception,
            ProblemDetails =
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "The daemon did not answer in time",
                Detail = $"{request}: the part of the daemon that answers it did not reply in time; it may be restarting " +
                         $"after a failure (the daemon's log says why). Try again in {RetryAfterSeconds} s; a change this request asked for may " +
                         "still be carried out once it answers, so read the current state before repeating a change.",
            },
        });
    }
}
