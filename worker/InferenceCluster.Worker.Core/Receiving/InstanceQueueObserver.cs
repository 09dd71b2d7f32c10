using MassTransit;

namespace InferenceCluster.Worker.Receiving;

/// <summary>
/// Tells an <see cref="InstanceQueue"/> what MassTransit reports of its endpoint (ready or not) and every message it
/// takes, for the probe to tell deaf from restarted or slow.
/// </summary>
internal sealed class InstanceQueueObserver(InstanceQueue queue) : IReceiveEndpointObserver, IReceiveObserver
{
    private int _counting;

    public Task Ready(ReceiveEndpointReady ready)
    {
        ArgumentNullException.ThrowIfNull(ready);

        // The endpoint is one object across MassTransit's restarts of it: its deliveries are followed from its first start.
        if (Interlocked.Exchange(ref _counting, 1) == 0)
        {
            ready.ReceiveEndpoint.ConnectReceiveObserver(this);
        }

        queue.EndpointChanged(ready: true);
        return Task.CompletedTask;
    }

    public Task Stopping(ReceiveEndpointStopping stopping)
    {
        queue.EndpointChanged(ready: false);
        return Task.CompletedTask;
    }

    public Task Completed(ReceiveEndpointCompleted completed)
    {
        queue.EndpointChanged(ready: false);
        return Task.CompletedTask;
    }

    public Task Faulted(ReceiveEndpointFaulted faulted)
    {
        queue.EndpointChanged(ready: false);
        return Task.CompletedTask;
    }

    public Task PreReceive(ReceiveContext context)
    {
        queue.CountDelivery();
        return Task.CompletedTask;
    }

    public Task PostReceive(ReceiveContext context) => Task.CompletedTask;

    public Task PostConsume<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType)
        where T : class => Task.CompletedTask;

    public Task ConsumeFault<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType, Exception exception)
        where T : class => Task.CompletedTask;

    public Task ReceiveFault(ReceiveContext context, Exception exception) => Task.CompletedTask;
}
