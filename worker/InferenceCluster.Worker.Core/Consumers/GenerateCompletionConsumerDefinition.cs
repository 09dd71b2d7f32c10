using InferenceCluster.Inference;
using InferenceCluster.Contracts;
using InferenceCluster.Worker.Receiving;
using MassTransit;

namespace InferenceCluster.Worker.Consumers;

/// <summary>
/// The model's shared queue (<c>generate-{modelId}</c>), on which all workers of the model compete. A worker
/// takes, and holds unacknowledged, only as many requests as its engine runs at once: the rest stay in the
/// queue for idle workers.
/// </summary>
internal sealed class GenerateCompletionConsumerDefinition : ConsumerDefinition<GenerateCompletionConsumer>
{
    private readonly ModelQueueActivity _activity;

    /// <summary>
    /// Names the queue after the loaded model and sizes it to the engine's capacity. No retry: a failure is
    /// reported to the caller as CompletionFailed, and a run interrupted by shutdown is redelivered by the broker.
    /// </summary>
    public GenerateCompletionConsumerDefinition(IInferenceEngine engine, ModelQueueActivity activity)
    {
        ArgumentNullException.ThrowIfNull(engine);
        _activity = activity;
        var capacity = Math.Max(1, engine.Model.Capacity);
        EndpointName = ModelQueue.Name(engine.Model.Id);
        ConcurrentMessageLimit = capacity;
        Endpoint(endpoint => endpoint.PrefetchCount = capacity);
    }

    /// <summary>Follows the endpoint's life, so the receive check judges only an endpoint MassTransit reports ready.</summary>
    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<GenerateCompletionConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        ArgumentNullException.ThrowIfNull(endpointConfigurator);
        endpointConfigurator.ConnectReceiveEndpointObserver(new ModelEndpointObserver(_activity));
        base.ConfigureConsumer(endpointConfigurator, consumerConfigurator, context);
    }
}
