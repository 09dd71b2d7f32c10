using InferenceCluster.Contracts;
using MassTransit;

namespace InferenceCluster.Gateway.Workers;

/// <summary>Feeds worker heartbeats into the registry. Lives on this instance's own temporary endpoint (fan-out).</summary>
[ExcludeFromConfigureEndpoints]
internal sealed class WorkerHeartbeatConsumer(WorkerRegistry registry) : IConsumer<WorkerHeartbeat>
{
    public Task Consume(ConsumeContext<WorkerHeartbeat> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        registry.Record(context.Message);
        return Task.CompletedTask;
    }
}
