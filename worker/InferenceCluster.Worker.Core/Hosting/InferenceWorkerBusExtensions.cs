using InferenceCluster.Worker.Consumers;
using InferenceCluster.Worker.Receiving;

// In MassTransit's namespace, where the other configurator extensions are.
namespace MassTransit;

/// <summary>Adds the worker's consumers to a bus, whatever its transport.</summary>
public static class InferenceWorkerBusExtensions
{
    /// <summary>
    /// The request consumer on the model's queue (<c>generate-{modelId}</c>, concurrency and prefetch =
    /// engine capacity), and the cancel and gateway-heartbeat consumers on temporary queues of this worker, which
    /// also take the worker's receive probes. Endpoints are created
    /// by the transport's <c>ConfigureEndpoints(context)</c>.
    /// </summary>
    public static IBusRegistrationConfigurator AddInferenceWorkerConsumers(this IBusRegistrationConfigurator configurator)
    {
        ArgumentNullException.ThrowIfNull(configurator);
        configurator.AddConsumer<GenerateCompletionConsumer, GenerateCompletionConsumerDefinition>();
        configurator.AddConsumer<CancelCompletionConsumer, CancelCompletionConsumerDefinition>();
        configurator.AddConsumer<GatewayHeartbeatConsumer, GatewayHeartbeatConsumerDefinition>();

        // Configured by the two definitions above on their endpoints only.
        configurator.AddConsumer<InstanceProbeConsumer>();
        return configurator;
    }
}
