using InferenceCluster.Inference.Output;

namespace InferenceCluster.Inference.Engine;

/// <summary>
/// Runs the readers an engine step woke, one after another, on a thread of their own that blocks
/// between steps. Resuming each reader through the thread pool cost more CPU time than the readers'
/// own work: the pool's workers spin while they wait for the next item, on the core the engine does
/// not use, and a step wakes a reader per request.
/// </summary>
/// <remarks>
/// <para>
/// A reader runs here until it waits again, together with its consumer's code up to that
/// consumer's next wait; consumers await their own I/O, so that is decoding and bookkeeping.
/// </para>
/// <para>
/// Waking the sleeping thread costs both threads CPU time (measured at 15–30 µs per wake-up on a
/// two-core virtual machine, half of it in the waker), more than the readers' work for a step of a
/// small model. So the sleeping thread is woken for readers that only have more tokens at most once
/// per <c>minWakeInterval</c>: after shorter steps such readers wait for a later step and go
/// together, so wake-ups are bounded per unit of time, not per step. Steps longer than the interval
/// wake it every time, as before. Readers with news a caller waits for (a first token, an end) are
/// woken at once.
/// </para>
/// </remarks>
internal sealed class ReaderThread : IDisposable
{
    private readonly Lock _gate = new();
    private readonly AutoResetEvent _signal = new(false);
    private readonly Thread _thread;
    private readonly TimeProvider _time;
    private readonly TimeSpan _minWakeInterval;
    private List<PathOutputBuffer> _queued = [];
    private List<PathOutputBuffer> _running = [];
    private int _asleep;
    private volatile bool _stopping;

    // Producer only: whether readers are left queued for a sleeping thread, and when it was last woken.
    private bool _deferred;
    private bool _woken;
    private long _lastWake;

    /// <param name="name">The thread's name.</param>
    /// <param name="minWakeInterval">How long after a wake-up readers with more tokens leave the sleeping thread asleep; zero wakes it on every call.</param>
    /// <param name="time">The clock that measures the interval.</param>
    public ReaderThread(string name, TimeSpan minWakeInterval, TimeProvider? time = null)
    {
        _minWakeInterval = minWakeInterval;
        _time = time ?? TimeProvider.System;
        _thread = new Thread(Run) { IsBackground = true, Name = name };
        _thread.Start();
    }

    /// <summary>True while the thread sleeps, or is about to, until it is signalled.</summary>
    internal bool Asleep => Volatile.Read(ref _asleep) == 1;

    /// <summary>
    /// Queues the readers of <paramref name="buffers"/> to be resumed (the list may be empty: the call
    /// still wakes readers left waiting once the interval is over). A sleeping thread is woken when
    /// <paramref name="urgent"/>, or when its last wake-up is at least the interval ago; otherwise the
    /// readers wait for a later call or <see cref="Flush"/>. One producer (the engine owner thread) calls this, <see cref="Flush"/>
    /// and nothing else, and must call <see cref="Flush"/> before it blocks.
    /// </summary>
    public void Wake(List<PathOutputBuffer> buffers, bool urgent)
    {
        if (buffers.Count > 0)
        {
            lock (_gate)
            {
                _queued.AddRange(buffers);
            }
        }
        else if (!_deferred)
        {
            return;
        }

        // A running thread looks at the queue again before it sleeps (see Run), so it needs no signal.
        // Reading the flag after taking the lock above cannot miss a sleep announced before the thread's
        // last look at the queue.
        if (Volatile.Read(ref _asleep) == 0)
        {
            _deferred = false;
            return;
        }

        if (urgent || !_woken || _time.GetElapsedTime(_lastWake) >= _minWakeInterval)
        {
            Signal();
        }
        else
        {
            _deferred = true;
        }
    }

    /// <summary>Wakes the thread for readers left waiting by <see cref="Wake"/>; nothing when none are.</summary>
    public void Flush()
    {
        if (_deferred)
        {
            Signal();
        }
    }

    /// <summary>Resumes every reader still queued, then ends the thread.</summary>
    public void Dispose()
    {
        _stopping = true;
        if (Thread.CurrentThread == _thread)
        {
            // Disposed by a reader's own continuation: joining would wait for itself forever. The thread ends
            // once that continuation returns; the signal is left to the finalizer.
            return;
        }

        _signal.Set();
        _thread.Join();
        _signal.Dispose();
    }

    private void Signal()
    {
        _deferred = false;
        if (Interlocked.Exchange(ref _asleep, 0) == 1)
        {
            _signal.Set();
            _woken = true;
            _lastWake = _time.GetTimestamp();
        }
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
            // sees the flag (and signals, or leaves the readers for a later signal), and one that queued
            // before it is found by the look.
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
