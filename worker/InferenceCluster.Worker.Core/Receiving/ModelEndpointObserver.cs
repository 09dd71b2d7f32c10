using MassTransit;

namespace InferenceCluster.Worker.Receiving;

/// <summary>
/// Tells <see cref="ModelQueueActivity"/> what MassTransit reports of the model queue's endpoint: a fault or stop it saw
/// is its to repair (it restarts the endpoint), so only an endpoint it reports ready can be found deaf.
/// </summary>
internal sealed class ModelEndpointObserver(ModelQueueActivity activity) : IReceiveEndpointObserver
{
    public Task Ready(ReceiveEndpointReady ready)
    {
        activity.EndpointChanged(ready: true);
        return Task.CompletedTask;
    }

    public Task Stopping(ReceiveEndpointStopping stopping)
    {
        activity.EndpointChanged(ready: false);
        return Task.CompletedTask;
    }

    public Task Completed(ReceiveEndpointCompleted completed)
    {
        activity.EndpointChanged(ready: false);
        return Task.CompletedTask;
    }

    public Task Faulted(ReceiveEndpointFaulted faulted)
    {
        activity.EndpointChanged(ready: false);
        return Task.CompletedTask;
    }
}
