using System.Text;
using InferenceCluster.Gateway.OpenAI.ResponsesApi;
using InferenceCluster.Gateway.Streaming;

namespace InferenceCluster.Gateway.Responses;

/// <summary>Writes a Responses stream event with its <c>event:</c> line, which SSE clients may dispatch on, before its data.</summary>
internal static class ResponseEventWriter
{
    public static async Task WriteAsync(CompletionExchange exchange, ResponseStreamEvent streamEvent)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        ArgumentNullException.ThrowIfNull(streamEvent);
        var response = exchange.Http.Response;
        await response.Body.WriteAsync(Encoding.UTF8.GetBytes($"event: {streamEvent.Type}\n"), exchange.Aborted).ConfigureAwait(false);
        await SseWriter.WriteAsync(response, streamEvent, ResponsesJsonContext.Wire.ResponseStreamEvent, exchange.Aborted).ConfigureAwait(false);
    }

    public static async Task WriteAsync(CompletionExchange exchange, ResponseErrorEvent errorEvent)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        ArgumentNullException.ThrowIfNull(errorEvent);
        var response = exchange.Http.Response;
        await response.Body.WriteAsync(Encoding.UTF8.GetBytes($"event: {errorEvent.Type}\n"), exchange.Aborted).ConfigureAwait(false);
        await SseWriter.WriteAsync(response, errorEvent, ResponsesJsonContext.Wire.ResponseErrorEvent, exchange.Aborted).ConfigureAwait(false);
    }
}
