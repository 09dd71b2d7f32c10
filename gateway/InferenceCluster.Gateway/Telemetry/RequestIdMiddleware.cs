using System.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace InferenceCluster.Gateway.Telemetry;

/// <summary>
/// Gives every response an <c>X-Request-Id</c>, as OpenAI's API does (its SDKs report it with each answer and
/// error): the client's own id when it sent a usable one, so that its logs and this gateway's trace meet, else
/// one made from the request's trace and span ids. The id is set when the response starts, so error answers carry it too.
/// </summary>
internal sealed class RequestIdMiddleware(RequestDelegate next)
{
    public const string HeaderName = "X-Request-Id";

    // Long enough for any id scheme in use (UUIDs, trace ids, prefixed ids), short enough to log.
    private const int MaxLength = 128;

    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var clientId = Usable(context.Request.Headers[HeaderName].ToString());
        var activity = Activity.Current;
        if (clientId is not null)
        {
            activity?.SetTag("http.request.header.x-request-id", new[] { clientId });
        }

        // The trace id alone is not this request's: a client that sends traceparent shares it among all its calls.
        var id = clientId ?? (activity is null ? "req_" + Guid.NewGuid().ToString("N") : $"req_{activity.TraceId.ToHexString()}{activity.SpanId.ToHexString()}");
        context.Response.OnStarting(() =>
        {
            context.Response.Headers[HeaderName] = id;
            return Task.CompletedTask;
        });
        return next(context);
    }

    /// <summary>The client's id when it is one value of visible ASCII characters that fits a log line; else null.</summary>
    private static string? Usable(string value) =>
        value.Length is > 0 and <= MaxLength && value.All(c => c is > ' ' and <= '~') ? value : null;
}
