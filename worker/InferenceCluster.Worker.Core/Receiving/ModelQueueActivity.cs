namespace InferenceCluster.Worker.Receiving;

/// <summary>
/// What this worker knows about receiving from its model's queue: the requests it took and runs, whether MassTransit
/// reports the queue's endpoint ready, and whether the worker found itself deaf there. Written by the request consumer
/// and the endpoint's observer, read by <see cref="ReceiveWatchdog"/>, the heartbeat and the health check.
/// </summary>
internal sealed class ModelQueueActivity(TimeProvider time)
{
    private readonly Lock _gate = new();
    private long _taken;
    private int _active;
    private bool _endpointReady;
    private long _endpointEpoch;
    private DateTimeOffset _quietSince = time.GetUtcNow();
    private string? _deafness;

    /// <summary>Requests taken from the queue since the worker started.</summary>
    public long Taken
    {
        get
        {
            lock (_gate)
            {
                return _taken;
            }
        }
    }

    /// <summary>Requests taken and not yet finished (each holds one of the endpoint's slots).</summary>
    public int Active
    {
        get
        {
            lock (_gate)
            {
                return _active;
            }
        }
    }

    /// <summary>Whether MassTransit reports the endpoint ready (false while it starts, restarts after a fault, or stops).</summary>
    public bool EndpointReady
    {
        get
        {
            lock (_gate)
            {
                return _endpointReady;
            }
        }
    }

    /// <summary>Changes whenever the endpoint becomes ready or not ready, so a restart between two looks is seen.</summary>
    public long EndpointEpoch
    {
        get
        {
            lock (_gate)
            {
                return _endpointEpoch;
            }
        }
    }

    /// <summary>The latest of the last request taken, the last one finished and the endpoint becoming ready.</summary>
    public DateTimeOffset QuietSince
    {
        get
        {
            lock (_gate)
            {
                return _quietSince;
            }
        }
    }

    /// <summary>
    /// Whether the worker found it no longer receives from the queue, or from one of its own temporary queues
    /// (<see cref="InstanceQueueProbe"/>): it is then on its way out.
    /// </summary>
    public bool IsDeaf => Deafness is not null;

    /// <summary>Why the worker counts itself deaf, or null.</summary>
    public string? Deafness
    {
        get
        {
            lock (_gate)
            {
                return _deafness;
            }
        }
    }

    /// <summary>Counts a request taken from the queue; <see cref="Finish"/> must follow once it is done.</summary>
    public void Take()
    {
        lock (_gate)
        {
            _taken++;
            _active++;
            _quietSince = time.GetUtcNow();
        }
    }

    /// <summary>
    /// A request taken with <see cref="Take"/> is done: its slot is free again, and the quiet counts from now (a worker
    /// that was full could not take anything before).
    /// </summary>
    public void Finish()
    {
        lock (_gate)
        {
            _active--;
            _quietSince = time.GetUtcNow();
        }
    }

    /// <summary>The endpoint became ready (<paramref name="ready"/>) or not (faulted, stopping, stopped).</summary>
    public void EndpointChanged(bool ready)
    {
        lock (_gate)
        {
            _endpointEpoch++;
            _endpointReady = ready;
            if (ready)
            {
                _quietSince = time.GetUtcNow();
            }
        }
    }

    /// <summary>Records that the worker found itself deaf, and why.</summary>
    public void MarkDeaf(string reason)
    {
        lock (_gate)
        {
            _deafness ??= reason;
        }
    }
}
