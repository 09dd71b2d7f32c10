using System.Collections.Concurrent;

namespace InferenceCluster.Gateway.Streaming;

/// <summary>Requests of this gateway instance still waiting for replies, by request id.</summary>
internal sealed class PendingCompletions
{
    private readonly ConcurrentDictionary<Guid, PendingCompletion> _pending = new();

    public PendingCompletion Register(Guid requestId)
    {
        var pending = new PendingCompletion(requestId);
        return _pending.TryAdd(requestId, pending)
            ? pending
            : throw new InvalidOperationException($"Request {requestId} is already pending.");
    }

    public void Remove(Guid requestId) => _pending.TryRemove(requestId, out _);

    /// <summary>Routes a reply to its request; false when nobody waits for it any more.</summary>
    public bool TryDeliver(Guid requestId, long sequence, ReplyEvent reply)
    {
        if (!_pending.TryGetValue(requestId, out var pending))
        {
            return false;
        }

        pending.Deliver(sequence, reply);
        return true;
    }

    public int Count => _pending.Count;
}
