using InferenceCluster.Contracts;
using InferenceCluster.Worker.Receiving;
using MassTransit;
using Microsoft.Extensions.Options;

namespace InferenceCluster.Worker.Consumers;

/// <summary>
/// A queue of this worker's own, named after its id and deleted when it stops: for published events every
/// worker must hear (cancels, gateway heartbeats), each worker needs its own copy. It also takes the worker's
/// <see cref="ReceiveProbe"/>s, by which <see cref="InstanceQueueProbe"/> checks that it is still read.
/// </summary>
internal abstract class InstanceEndpointDefinition<TConsumer> : ConsumerDefinition<TConsumer>
    where TConsumer : class, IConsumer
{
    private readonly InstanceQueues _queues;

    /// <summary>Makes the endpoint instance-specific and temporary.</summary>
    protected InstanceEndpointDefinition(IOptions<WorkerOptions> options, InstanceQueues queues)
    {
        ArgumentNullException.ThrowIfNull(options);
        _queues = queues;
        var workerId = options.Value.Id!;
        Endpoint(endpoint =>
        {
            endpoint.InstanceId = workerId;
            endpoint.Temporary = true;
        });
    }

    /// <summary>Adds the probe consumer and follows the endpoint's life and deliveries for the probe's verdict.</summary>
    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<TConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        ArgumentNullException.ThrowIfNull(endpointConfigurator);
        var observer = new InstanceQueueObserver(_queues.Add(endpointConfigurator.InputAddress));
        endpointConfigurator.ConnectReceiveEndpointObserver(observer);
        endpointConfigurator.ConfigureConsumer<InstanceProbeConsumer>(context);
        base.ConfigureConsumer(endpointConfigurator, consumerConfigurator, context);
    }
}
