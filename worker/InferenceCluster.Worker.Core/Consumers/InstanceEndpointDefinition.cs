using MassTransit;
using Microsoft.Extensions.Options;

namespace InferenceCluster.Worker.Consumers;

/// <summary>
/// A queue of this worker's own, named after its id and deleted when it stops: for published events every
/// worker must hear (cancels, gateway heartbeats), each worker needs its own copy.
/// </summary>
internal abstract class InstanceEndpointDefinition<TConsumer> : ConsumerDefinition<TConsumer>
    where TConsumer : class, IConsumer
{
    /// <summary>Makes the endpoint instance-specific and temporary.</summary>
    protected InstanceEndpointDefinition(IOptions<WorkerOptions> options)
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
