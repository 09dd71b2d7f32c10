namespace InferenceCluster.Worker.Receiving;

/// <summary>
/// One of this worker's own temporary queues (cancels, gateway heartbeats) as <see cref="InstanceQueueProbe"/> sees it:
/// its address, whether MassTransit reports its endpoint ready, how often that changed and how many messages it took.
/// </summary>
internal sealed class InstanceQueue(Uri address)
{
    private readonly Lock _gate = new();
    private bool _ready;
    private long _readyEpoch;
    private long _deliveries;

    /// <summary>The queue's address, which probes are sent to.</summary>
    public Uri Address { get; } = address;

    /// <summary>The queue's name, for the log.</summary>
    public string Name { get; } = address.Segments.Length > 0 ? address.Segments[^1].Trim('/') : address.ToString();

    /// <summary>Whether MassTransit reports the endpoint ready: only then is a probe that does not arrive news.</summary>
    public bool IsReady
    {
        get
        {
            lock (_gate)
            {
                return _ready;
            }
        }
    }

    /// <summary>Changes whenever the endpoint becomes ready or not, so a restart while a probe is out is seen.</summary>
    public long ReadyEpoch
    {
        get
        {
            lock (_gate)
            {
                return _readyEpoch;
            }
        }
    }

    /// <summary>Messages the endpoint has taken so far (probes included).</summary>
    public long Deliveries => Interlocked.Read(ref _deliveries);

    /// <summary>The endpoint became ready (<paramref name="ready"/>) or not (faulted, stopping, stopped).</summary>
    public void EndpointChanged(bool ready)
    {
        lock (_gate)
        {
            _readyEpoch++;
            _ready = ready;
        }
    }

    /// <summary>The endpoint took a message: it is read.</summary>
    public void CountDelivery() => Interlocked.Increment(ref _deliveries);
}
