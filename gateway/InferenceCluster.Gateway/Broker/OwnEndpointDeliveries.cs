using MassTransit;

namespace InferenceCluster.Gateway.Broker;

/// <summary>Counts the messages an <see cref="OwnReceiveEndpoint"/> takes, for the self-check to tell slow from deaf.</summary>
internal sealed class OwnEndpointDeliveries(OwnReceiveEndpoint owner) : IReceiveObserver
{
    public Task PreReceive(ReceiveContext context)
    {
        owner.CountDelivery();
        return Task.CompletedTask;
    }

    public Task PostReceive(ReceiveContext context) => Task.CompletedTask;

    public Task PostConsume<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType)
        where T : class => Task.CompletedTask;

    public Task ConsumeFault<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType, Exception exception)
        where T : class => Task.CompletedTask;

    public Task ReceiveFault(ReceiveContext context, Exception exception) => Task.CompletedTask;
}
