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
internal sealed class QueueDispatchMiddleware(RequestDelegate next, ChatCompletionHandler chat, TextCompletionHandler completions, ResponsesHandler responses)
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
            await chat.HandleAsync(context, body.Body).ConfigureAwait(false);
        }
        else if (body is not null && path.Equals("/v1/completions", StringComparison.OrdinalIgnoreCase))
        {
            await completions.HandleAsync(context, body.Body).ConfigureAwait(false);
        }
        else if (body is not null && path.Equals("/v1/responses", StringComparison.OrdinalIgnoreCase))
        {
            await responses.HandleAsync(context, body.Body).ConfigureAwait(false);
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
