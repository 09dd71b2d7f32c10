using InferenceCluster.Gateway.OpenAI;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Net.Http.Headers;

namespace InferenceCluster.Gateway.Hosting;

/// <summary>
/// Once the gateway is stopping, <c>/v1/*</c> requests that were not already running get 503
/// <c>server_shutting_down</c> with <c>Connection: close</c>. The web server refuses new connections only after
/// the stop has begun, and a client's pooled keep-alive connection reaches it anyway; without this a request
/// sent during the drain would start work the grace period may cut off. On HTTP/1.1, closing the connection
/// sends the client's retry to another gateway (HTTP/2 has no such header: there the server's GOAWAY at
/// shutdown does it). Requests already running finish within <c>Gateway:DrainGrace</c>.
/// </summary>
internal sealed class DrainingMiddleware(RequestDelegate next, IHostApplicationLifetime lifetime)
{
    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!lifetime.ApplicationStopping.IsCancellationRequested
            || !context.Request.Path.StartsWithSegments("/v1", StringComparison.OrdinalIgnoreCase))
        {
            return next(context);
        }

        context.Response.Headers[HeaderNames.Connection] = "close";
        return OpenAIErrorWriter.WriteAsync(context, OpenAIException.ShuttingDown());
    }
}
