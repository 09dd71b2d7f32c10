using InferenceCluster.Worker.Receiving;
using Microsoft.Extensions.Options;

namespace InferenceCluster.Worker.Consumers;

/// <summary>
/// Cancels on a temporary queue of this worker: cancels are published, so each worker needs its own copy to
/// find out whether the request is one of its.
/// </summary>
internal sealed class CancelCompletionConsumerDefinition(IOptions<WorkerOptions> options, InstanceQueues queues)
    : InstanceEndpointDefinition<CancelCompletionConsumer>(options, queues);
