using InferenceCluster.Gateway.Endpoints;
using InferenceCluster.Gateway.OpenAI;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Model;

namespace InferenceCluster.Gateway.Routing;

/// <summary>
/// A step of YARP's proxy pipeline. When the matched route's cluster is the worker pool
/// (<c>Metadata: { "Dispatch": "Queue" }</c>) it answers the request itself, through the model queues,
/// and does not call the rest of the pipeline; any other cluster goes on to YARP's HTTP forwarder.
/// </summary>
internal sealed class QueueDispatchMiddleware(RequestDelegate next, CompletionHandler handler)
{
    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var proxy = context.GetReverseProxyFeature();
        if (!IsQueueCluster(proxy.Cluster.Config.Metadata))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var path = context.Request.Path.Value ?? string.Empty;
        var body = context.Features.Get<ModelRequestFeature>();
        if (body is not null && path.Equals("/v1/chat/completions", StringComparison.OrdinalIgnoreCase))
        {
            await handler.HandleAsync(context, CompletionOperation.Chat, body.Root).ConfigureAwait(false);
        }
        else if (body is not null && path.Equals("/v1/completions", StringComparison.OrdinalIgnoreCase))
        {
            await handler.HandleAsync(context, CompletionOperation.TextCompletion, body.Root).ConfigureAwait(false);
        }
        else if (body is not null && path.Equals("/v1/responses", StringComparison.OrdinalIgnoreCase))
        {
            await handler.HandleAsync(context, CompletionOperation.Responses, body.Root).ConfigureAwait(false);
        }
        else
        {
            await OpenAIErrorWriter.WriteAsync(context, OpenAIException.NotImplementedPath(path)).ConfigureAwait(false);
        }
    }

    internal static bool IsQueueCluster(IReadOnlyDictionary<string, string>? metadata) =>
        metadata is not null
        && metadata.TryGetValue(ModelRouting.DispatchMetadataKey, out var dispatch)
        && string.Equals(dispatch, ModelRouting.QueueDispatch, StringComparison.OrdinalIgnoreCase);
}
