namespace InferenceCluster.Worker.Execution;

/// <summary>
/// Cancels heard for requests this worker does not run (yet): kept until the request's deadline, after which
/// the request would be dropped unstarted anyway, and at most <see cref="Capacity"/> of them, oldest forgotten
/// first. Every operation is O(1) amortised: entries leave in arrival order, each checked once. Not thread-safe;
/// <see cref="RunningRequests"/> serialises calls.
/// </summary>
internal sealed class EarlyCancels(int capacity)
{
    private readonly Dictionary<Guid, DateTimeOffset> _until = [];
    private readonly Queue<(Guid RequestId, DateTimeOffset Until)> _arrivals = new();

    public int Capacity { get; } = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity));

    public int Count => _until.Count;

    public void Remember(Guid requestId, DateTimeOffset until, DateTimeOffset now)
    {
        Forget(now);
        if (_until.ContainsKey(requestId))
        {
            _until[requestId] = until;
            return;
        }

        if (_until.Count >= Capacity)
        {
            // Forgetting the oldest only lets that request run for nobody; it still stops at its deadline.
            var (oldest, _) = _arrivals.Dequeue();
            _until.Remove(oldest);
        }

        _until[requestId] = until;
        _arrivals.Enqueue((requestId, until));
    }

    /// <summary>True (and forgotten) when a cancel for the request was heard and has not expired.</summary>
    public bool TryTake(Guid requestId, DateTimeOffset now)
    {
        Forget(now);
        return _until.Remove(requestId, out var until) && until > now;
    }

    // Only the head is checked: an entry expiring earlier behind it waits its turn, within the capacity bound.
    private void Forget(DateTimeOffset now)
    {
        while (_arrivals.TryPeek(out var head) && (head.Until <= now || !_until.TryGetValue(head.RequestId, out var until) || until != head.Until))
        {
            _arrivals.Dequeue();
            if (_until.TryGetValue(head.RequestId, out var current) && current == head.Until)
            {
                _until.Remove(head.RequestId);
            }
        }
    }
}
