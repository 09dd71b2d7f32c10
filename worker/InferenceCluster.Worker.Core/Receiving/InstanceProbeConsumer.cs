using InferenceCluster.Contracts;
using InferenceCluster.ServiceDefaults;
using MassTransit;

namespace InferenceCluster.Worker.Receiving;

/// <summary>Takes this worker's own probes off its temporary queues: their arrival shows it still receives there.</summary>
[ExcludeFromConfigureEndpoints]
internal sealed class InstanceProbeConsumer(ReceiveProbes probes) : IConsumer<ReceiveProbe>
{
    public Task Consume(ConsumeContext<ReceiveProbe> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        probes.Arrived(context.Message.ProbeId);
        return Task.CompletedTask;
    }
}
