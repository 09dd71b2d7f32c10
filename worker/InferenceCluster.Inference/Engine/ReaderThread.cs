namespace InferenceCluster.Inference.Engine;

/// <summary>
/// Runs the readers an engine step woke, one after another, on a thread of their own that blocks
/// between steps. Resuming each reader through the thread pool cost more CPU time than the readers'
/// own work: the pool's workers spin while they wait for the next item, on the core the engine does
/// not use, and a step wakes a reader per request. Here a step costs at most one wake-up, and only
/// when the thread is asleep.
/// </summary>
/// <remarks>
/// A reader runs here until it waits again, together with its consumer's code up to that
/// consumer's next wait; consumers await their own I/O, so that is decoding and bookkeeping.
/// </remarks>
internal sealed class ReaderThread : IDisposable
{
    private readonly Lock _gate = new();
    private readonly AutoResetEvent _signal = new(false);
    private readonly Thread _thread;
    private List<PathOutputBuffer> _queued = [];
    private List<PathOutputBuffer> _running = [];
    private int _asleep;
    private volatile bool _stopping;

    public ReaderThread(string name)
    {
        _thread = new Thread(Run) { IsBackground = true, Name = name };
        _thread.Start();
    }

    /// <summary>Queues the readers of <paramref name="buffers"/> to be resumed; wakes the thread only if it sleeps.</summary>
    public void Wake(List<PathOutputBuffer> buffers)
    {
        lock (_gate)
        {
            _queued.AddRange(buffers);
        }

        if (Interlocked.Exchange(ref _asleep, 0) == 1)
        {
            _signal.Set();
        }
    }

    /// <summary>Resumes every reader still queued, then ends the thread.</summary>
    public void Dispose()
    {
        _stopping = true;
        _signal.Set();
        _thread.Join();
        _signal.Dispose();
    }

    private void Run()
    {
        while (true)
        {
            lock (_gate)
            {
                (_queued, _running) = (_running, _queued);
            }

            foreach (var buffer in _running)
            {
                buffer.Wake();
            }

            if (_running.Count > 0)
            {
                _running.Clear();
                continue;
            }

            if (_stopping)
            {
                return;
            }

            // Announce the sleep before the last look at the queue: a Wake that queues after that look
            // sees the flag and signals, and one that queued before it is found by the look.
            Volatile.Write(ref _asleep, 1);
            bool queued;
            lock (_gate)
            {
                queued = _queued.Count > 0;
            }

            if (queued)
            {
                Volatile.Write(ref _asleep, 0);
                continue;
            }

            _signal.WaitOne();
        }
    }
}
