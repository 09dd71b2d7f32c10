using InferenceCluster.Contracts;
using InferenceCluster.ServiceDefaults;
using MassTransit;

namespace InferenceCluster.Gateway.Broker;

/// <summary>Takes this gateway's own probes off each of its queues: their arrival is what shows it still receives there.</summary>
[ExcludeFromConfigureEndpoints]
internal sealed class ReceiveProbeConsumer(ReceiveProbes probes) : IConsumer<ReceiveProbe>
{
    public Task Consume(ConsumeContext<ReceiveProbe> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        probes.Arrived(context.Message.ProbeId);
        return Task.CompletedTask;
    }
}
