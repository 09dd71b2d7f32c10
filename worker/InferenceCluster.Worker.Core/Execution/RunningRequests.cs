namespace InferenceCluster.Worker.Execution;

/// <summary>
/// The requests this worker runs, by id, so a cancel message can reach the right one. A cancel that arrives
/// before its request starts (still in the prefetch buffer, or between its delivery and its start here) is
/// remembered until the request's deadline, so the request is then dropped instead of run for nobody.
/// Starting and cancelling take one lock, so a cancel racing a start is never lost.
/// </summary>
internal sealed class RunningRequests(TimeProvider time)
{
    /// <summary>Remembered early cancels at most; every worker hears every cancel.</summary>
    public const int EarlyCancelCapacity = 100_000;

    /// <summary>How long a cancel without a deadline is remembered: the longest request timeout a gateway allows.</summary>
    public static readonly TimeSpan LongestDeadline = TimeSpan.FromDays(1);

    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, RunningRequest> _running = [];
    private readonly EarlyCancels _cancelledEarly = new(EarlyCancelCapacity);

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _running.Count;
            }
        }
    }

    /// <summary>How many early cancels are remembered now.</summary>
    public int EarlyCancelCount
    {
        get
        {
            lock (_gate)
            {
                return _cancelledEarly.Count;
            }
        }
    }

    /// <summary>Registers a request; its token fires on cancel, at the deadline or when <paramref name="stopping"/> fires.</summary>
    public RunningRequest Start(Guid requestId, CancellationToken stopping, TimeSpan untilDeadline)
    {
        var request = new RunningRequest(requestId, stopping, untilDeadline, Remove);
        bool cancelled;
        lock (_gate)
        {
            _running[requestId] = request;
            cancelled = _cancelledEarly.TryTake(requestId, time.GetUtcNow());
        }

        if (cancelled)
        {
            request.Cancel();
        }

        return request;
    }

    /// <summary>
    /// Cancels the request if this worker runs it; otherwise remembers the cancel until <paramref name="deadline"/>
    /// (the request's own; <see cref="LongestDeadline"/> from now when unknown).
    /// </summary>
    public bool TryCancel(Guid requestId, DateTimeOffset? deadline = null)
    {
        RunningRequest? request;
        lock (_gate)
        {
            if (!_running.TryGetValue(requestId, out request))
            {
                var now = time.GetUtcNow();
                _cancelledEarly.Remember(requestId, deadline ?? now + LongestDeadline, now);
                return false;
            }
        }

        request.Cancel();
        return true;
    }

    private void Remove(RunningRequest request)
    {
        lock (_gate)
        {
            if (_running.TryGetValue(request.RequestId, out var current) && ReferenceEquals(current, request))
            {
                _running.Remove(request.RequestId);
            }
        }
    }
}
