using System.Threading.Tasks.Sources;

namespace InferenceCluster.Inference.Output;

/// <summary>
/// One request's outputs on their way from the path that generates them to the request's reader.
/// The producer stages outputs with no hand-off and publishes them once per engine step; the reader
/// is woken only when it is waiting, and then takes everything published so far at once. A channel
/// hands over every item and resumes its waiting reader on the thread pool per write, which cost the
/// adapter far more CPU time per token than the engine spends producing one on small models.
/// </summary>
/// <remarks>
/// One producer at a time (the engine owner thread, or a classic generator's thread) calls
/// <see cref="Add"/>, <see cref="Complete"/> and <see cref="Publish"/>; one reader calls
/// <see cref="WaitToReadAsync"/> and <see cref="TakeAll"/>. Whoever calls <see cref="Wake"/> runs the
/// reader's continuation on its own thread, so the caller chooses where readers run.
/// </remarks>
internal sealed class PathOutputBuffer : IValueTaskSource<bool>
{
    private readonly Lock _gate = new();

    // Producer only: what the current step produced, not yet visible to the reader.
    private List<PathOutput> _staged = [];
    private bool _ending;

    // Under _gate: published outputs, whether the end is among them, whether the reader is parked.
    private List<PathOutput> _ready = [];
    private bool _ended;
    private bool _readerWaiting;

    // Continuations run where Wake is called, never queued by the source itself.
    private ManualResetValueTaskSourceCore<bool> _wait;

    /// <summary>Stages a token; ignored once the end is staged, since nothing follows the end.</summary>
    public void Add(PathToken token)
    {
        if (!_ending)
        {
            _staged.Add(token);
        }
    }

    /// <summary>Stages the end, after every token staged so far; the first end wins.</summary>
    public void Complete(PathFinished finished)
    {
        if (!_ending)
        {
            _staged.Add(finished);
            _ending = true;
        }
    }

    /// <summary>Makes the staged outputs visible; true when the reader was waiting and must be woken with <see cref="Wake"/>.</summary>
    public bool Publish()
    {
        if (_staged.Count == 0)
        {
            return false;
        }

        lock (_gate)
        {
            if (_ready.Count == 0)
            {
                // The reader took the last batch: hand over the staged list itself instead of copying it.
                (_ready, _staged) = (_staged, _ready);
            }
            else
            {
                _ready.AddRange(_staged);
                _staged.Clear();
            }

            _ended = _ending;
            var wake = _readerWaiting;
            _readerWaiting = false;
            return wake;
        }
    }

    /// <summary>Resumes the waiting reader on the calling thread; call once for each <see cref="Publish"/> that returned true.</summary>
    public void Wake() => _wait.SetResult(true);

    /// <summary>Publishes and, when the reader waits, resumes it on the thread pool: for producers that must not run reader code themselves.</summary>
    public void PublishAndWakeOnPool()
    {
        if (Publish())
        {
            ThreadPool.UnsafeQueueUserWorkItem(static buffer => buffer.Wake(), this, preferLocal: false);
        }
    }

    /// <summary>True when outputs are ready; false once the end has been taken; otherwise waits for the next publish.</summary>
    public ValueTask<bool> WaitToReadAsync()
    {
        lock (_gate)
        {
            if (_ready.Count > 0)
            {
                return new ValueTask<bool>(true);
            }

            if (_ended)
            {
                return new ValueTask<bool>(false);
            }

            _wait.Reset();
            _readerWaiting = true;
            return new ValueTask<bool>(this, _wait.Version);
        }
    }

    /// <summary>Takes every published output, in order, in exchange for the reader's emptied list (no copying).</summary>
    public List<PathOutput> TakeAll(List<PathOutput> empty)
    {
        lock (_gate)
        {
            var taken = _ready;
            _ready = empty;
            return taken;
        }
    }

    bool IValueTaskSource<bool>.GetResult(short token) => _wait.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<bool>.GetStatus(short token) => _wait.GetStatus(token);

    void IValueTaskSource<bool>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _wait.OnCompleted(continuation, state, token, flags);
}
