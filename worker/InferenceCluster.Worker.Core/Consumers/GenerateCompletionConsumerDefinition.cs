using InferenceCluster.Inference;
using InferenceCluster.Contracts;
using MassTransit;

namespace InferenceCluster.Worker.Consumers;

/// <summary>
/// The model's shared queue (<c>generate-{modelId}</c>), on which all workers of the model compete. A worker
/// takes, and holds unacknowledged, only as many requests as its engine runs at once: the rest stay in the
/// queue for idle workers.
/// </summary>
internal sealed class GenerateCompletionConsumerDefinition : ConsumerDefinition<GenerateCompletionConsumer>
{
    /// <summary>
    /// Names the queue after the loaded model and sizes it to the engine's capacity. No retry: a failure is
    /// reported to the caller as CompletionFailed, and a run interrupted by shutdown is redelivered by the broker.
    /// </summary>
    public GenerateCompletionConsumerDefinition(IInferenceEngine engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        var capacity = Math.Max(1, engine.Model.Capacity);
        EndpointName = ModelQueue.Name(engine.Model.Id);
        ConcurrentMessageLimit = capacity;
        Endpoint(endpoint => endpoint.PrefetchCount = capacity);
    }
}
