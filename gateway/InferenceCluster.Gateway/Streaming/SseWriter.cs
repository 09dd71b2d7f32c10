using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using InferenceCluster.Gateway.OpenAI;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace InferenceCluster.Gateway.Streaming;

/// <summary>
/// Writes server-sent events the way OpenAI clients read them: <c>data: {json}\n\n</c> per event, flushed
/// at once, ending with <c>data: [DONE]</c>. An error after the stream started is an event too.
/// </summary>
internal static class SseWriter
{
    private static readonly byte[] DataPrefix = "data: "u8.ToArray();
    private static readonly byte[] EventEnd = "\n\n"u8.ToArray();
    private static readonly byte[] Done = "data: [DONE]\n\n"u8.ToArray();

    public static async Task StartAsync(HttpResponse response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";

        // Tells nginx-style proxies in front of the gateway not to hold tokens back in a buffer.
        response.Headers["X-Accel-Buffering"] = "no";
        response.HttpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public static async Task WriteAsync<T>(HttpResponse response, T payload, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        var body = response.Body;
        await body.WriteAsync(DataPrefix, cancellationToken).ConfigureAwait(false);
        await JsonSerializer.SerializeAsync(body, payload, typeInfo, cancellationToken).ConfigureAwait(false);
        await body.WriteAsync(EventEnd, cancellationToken).ConfigureAwait(false);
        await body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public static async Task WriteDoneAsync(HttpResponse response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        await response.Body.WriteAsync(Done, cancellationToken).ConfigureAwait(false);
        await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>An error inside a stream: the error object as an event, then the end marker.</summary>
    public static async Task WriteErrorAsync(HttpResponse response, OpenAIException error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(error);
        await WriteAsync(response, error.ToResponse(), OpenAIJsonContext.Wire.ErrorResponse, cancellationToken).ConfigureAwait(false);
        await WriteDoneAsync(response, cancellationToken).ConfigureAwait(false);
    }
}
