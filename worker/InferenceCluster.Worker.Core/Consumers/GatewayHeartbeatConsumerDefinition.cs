using InferenceCluster.Worker.Receiving;
using Microsoft.Extensions.Options;

namespace InferenceCluster.Worker.Consumers;

/// <summary>Gateway heartbeats on a temporary queue of this worker: every worker must hear every gateway.</summary>
internal sealed class GatewayHeartbeatConsumerDefinition(IOptions<WorkerOptions> options, InstanceQueues queues)
    : InstanceEndpointDefinition<GatewayHeartbeatConsumer>(options, queues);
