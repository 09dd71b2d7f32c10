using MassTransit;
using Microsoft.Extensions.Options;

namespace InferenceCluster.Worker.Consumers;

/// <summary>
/// A queue of this worker's own (named after its id, deleted when it stops): cancels are published, so
/// each worker needs its own copy to find out whether the request is one of its.
/// </summary>
internal sealed class CancelCompletionConsumerDefinition : ConsumerDefinition<CancelCompletionConsumer>
{
    /// <summary>Makes the endpoint instance-specific and temporary.</summary>
    public CancelCompletionConsumerDefinition(IOptions<WorkerOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var workerId = options.Value.Id!;
        Endpoint(endpoint =>
        {
            endpoint.InstanceId = workerId;
            endpoint.Temporary = true;
        });
    }
}
