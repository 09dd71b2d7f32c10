using System.Collections.Concurrent;

namespace InferenceCluster.Worker.Execution;

/// <summary>
/// The requests this worker runs, by id, so a cancel message can reach the right one. A cancel that
/// arrives before its request starts (still in the prefetch buffer) is remembered for a while, so the
/// request is then dropped instead of run for nobody.
/// </summary>
internal sealed class RunningRequests(TimeProvider time)
{
    private static readonly TimeSpan CancelMemory = TimeSpan.FromMinutes(10);
    private const int CancelMemoryPruneThreshold = 1024;

    private readonly ConcurrentDictionary<Guid, RunningRequest> _running = new();
    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _cancelledEarly = new();

    public int Count => _running.Count;

    /// <summary>Registers a request; its token fires on cancel, at the deadline or when <paramref name="stopping"/> fires.</summary>
    public RunningRequest Start(Guid requestId, CancellationToken stopping, TimeSpan untilDeadline)
    {
        var request = new RunningRequest(requestId, stopping, untilDeadline, Remove);
        _running[requestId] = request;
        if (_cancelledEarly.TryRemove(requestId, out _))
        {
            request.Cancel();
        }

        return request;
    }

    /// <summary>Cancels the request if this worker runs it; otherwise remembers the cancel for a while.</summary>
    public bool TryCancel(Guid requestId)
    {
        if (_running.TryGetValue(requestId, out var request))
        {
            request.Cancel();
            return true;
        }

        RememberEarlyCancel(requestId);
        return false;
    }

    private void Remove(RunningRequest request) =>
        _running.TryRemove(new KeyValuePair<Guid, RunningRequest>(request.RequestId, request));

    private void RememberEarlyCancel(Guid requestId)
    {
        var now = time.GetUtcNow();
        _cancelledEarly[requestId] = now + CancelMemory;
        if (_cancelledEarly.Count <= CancelMemoryPruneThreshold)
        {
            return;
        }

        // Every worker hears every cancel; forget the old ones so the set stays small.
        foreach (var (id, expires) in _cancelledEarly)
        {
            if (expires <= now)
            {
                _cancelledEarly.TryRemove(id, out _);
            }
        }
    }
}
