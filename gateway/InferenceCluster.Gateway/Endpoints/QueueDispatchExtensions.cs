using InferenceCluster.Gateway.Endpoints;

// In YARP's namespace, beside the framework's own pipeline steps (UseLoadBalancing, UseSessionAffinity …).
namespace Microsoft.AspNetCore.Builder;

/// <summary>Adds the queue-dispatch step to YARP's proxy pipeline.</summary>
public static class QueueDispatchExtensions
{
    /// <summary>
    /// Answers requests of routes whose cluster has <c>Metadata: { "Dispatch": "Queue" }</c> through the
    /// model queues (<see cref="CompletionHandler"/>); other requests continue down the pipeline to the HTTP forwarder.
    /// </summary>
    public static IReverseProxyApplicationBuilder UseQueueDispatch(this IReverseProxyApplicationBuilder pipeline)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        pipeline.UseMiddleware<CompletionHandler>();
        return pipeline;
    }
}
