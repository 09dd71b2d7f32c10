using MassTransit;

namespace InferenceCluster.Gateway.Broker;

/// <summary>
/// A receive endpoint's life seen as up and down: up when it is ready (also after MassTransit has reconnected it),
/// down from a fault, a stop or its end until then.
/// </summary>
internal abstract class ReceiveEndpointUpDown : IReceiveEndpointObserver
{
    public Task Ready(ReceiveEndpointReady ready)
    {
        OnUp();
        return Task.CompletedTask;
    }

    public Task Faulted(ReceiveEndpointFaulted faulted)
    {
        ArgumentNullException.ThrowIfNull(faulted);
        OnDown(faulted.Exception?.GetType().Name ?? "fault");
        return Task.CompletedTask;
    }

    public Task Stopping(ReceiveEndpointStopping stopping)
    {
        OnDown("stopping");
        return Task.CompletedTask;
    }

    public Task Completed(ReceiveEndpointCompleted completed)
    {
        OnDown("stopped");
        return Task.CompletedTask;
    }

    /// <summary>
    /// Down although MassTransit saw nothing: this process found out itself that the endpoint no longer receives, and
    /// it may have stopped receiving long before, as early as <paramref name="lastReceived"/> (null: nothing ever came).
    /// </summary>
    public void NotReceiving(string reason, DateTimeOffset? lastReceived) => OnDown(reason, lastReceived);

    protected abstract void OnUp();

    /// <summary>Down from now, or, found out late, from <paramref name="since"/> on.</summary>
    protected abstract void OnDown(string reason, DateTimeOffset? since = null);
}
