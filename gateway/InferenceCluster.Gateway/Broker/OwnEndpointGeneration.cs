using MassTransit;

namespace InferenceCluster.Gateway.Broker;

/// <summary>One generation of an <see cref="OwnReceiveEndpoint"/>: its events count only while it is the current one.</summary>
internal sealed class OwnEndpointGeneration(OwnReceiveEndpoint owner, int generation) : IReceiveEndpointObserver
{
    public Task Ready(ReceiveEndpointReady ready)
    {
        owner.On(generation, upDown => upDown.Ready(ready), ready: true);
        return Task.CompletedTask;
    }

    public Task Stopping(ReceiveEndpointStopping stopping)
    {
        owner.On(generation, upDown => upDown.Stopping(stopping), ready: false);
        return Task.CompletedTask;
    }

    public Task Completed(ReceiveEndpointCompleted completed)
    {
        owner.On(generation, upDown => upDown.Completed(completed), ready: false);
        return Task.CompletedTask;
    }

    public Task Faulted(ReceiveEndpointFaulted faulted)
    {
        owner.On(generation, upDown => upDown.Faulted(faulted), ready: false);
        return Task.CompletedTask;
    }
}
