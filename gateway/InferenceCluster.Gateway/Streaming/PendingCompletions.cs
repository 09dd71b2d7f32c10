using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace InferenceCluster.Gateway.Streaming;

/// <summary>Requests of this gateway instance still waiting for replies, by request id.</summary>
internal sealed partial class PendingCompletions(ILogger<PendingCompletions> logger)
{
    private readonly ConcurrentDictionary<Guid, PendingCompletion> _pending = new();

    public PendingCompletion Register(Guid requestId)
    {
        var pending = new PendingCompletion(requestId, (replayed, sent) => LogReplacementRun(replayed.RequestId, sent));
        return _pending.TryAdd(requestId, pending)
            ? pending
            : throw new InvalidOperationException($"Request {requestId} is already pending.");
    }

    public void Remove(Guid requestId) => _pending.TryRemove(requestId, out _);

    /// <summary>Routes a reply to its request; false when nobody waits for it any more.</summary>
    public bool TryDeliver(Guid requestId, ReplyEvent reply)
    {
        if (!_pending.TryGetValue(requestId, out var pending))
        {
            return false;
        }

        pending.Deliver(reply);
        return true;
    }

    /// <summary>Fails a request whose command a worker gave up (<see cref="PendingCompletion.Abandon"/>); false when nobody waits for it.</summary>
    public bool TryAbandon(Guid requestId)
    {
        if (!_pending.TryGetValue(requestId, out var pending))
        {
            return false;
        }

        pending.Abandon();
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Request {RequestId} resumed at token {Position}: a replacement run repeats the tokens already sent, and only later ones are passed on")]
    private partial void LogReplacementRun(Guid requestId, int position);
}
