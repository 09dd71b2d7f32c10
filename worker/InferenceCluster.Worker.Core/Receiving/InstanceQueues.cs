namespace InferenceCluster.Worker.Receiving;

/// <summary>This worker's own temporary queues, as their endpoints are configured; probed by <see cref="InstanceQueueProbe"/>.</summary>
internal sealed class InstanceQueues
{
    private readonly Lock _gate = new();
    private readonly Dictionary<Uri, InstanceQueue> _queues = [];

    /// <summary>The queues known so far.</summary>
    public IReadOnlyList<InstanceQueue> All
    {
        get
        {
            lock (_gate)
            {
                return [.. _queues.Values];
            }
        }
    }

    /// <summary>The queue at <paramref name="address"/>, added the first time its endpoint is configured.</summary>
    public InstanceQueue Add(Uri address)
    {
        ArgumentNullException.ThrowIfNull(address);
        lock (_gate)
        {
            if (!_queues.TryGetValue(address, out var queue))
            {
                queue = new InstanceQueue(address);
                _queues.Add(address, queue);
            }

            return queue;
        }
    }
}
