using InferenceCluster.Contracts;
using InferenceCluster.Worker.Gateways;
using MassTransit;

namespace InferenceCluster.Worker.Consumers;

/// <summary>Notes that a gateway is alive, so its requests keep running.</summary>
internal sealed class GatewayHeartbeatConsumer(GatewayLiveness liveness) : IConsumer<GatewayHeartbeat>
{
    /// <inheritdoc />
    public Task Consume(ConsumeContext<GatewayHeartbeat> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        liveness.Beat(context.Message.ReplyAddress);
        return Task.CompletedTask;
    }
}
