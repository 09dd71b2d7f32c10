using InferenceCluster.Contracts;

namespace InferenceCluster.Gateway.Streaming;

/// <summary>
/// Puts a request's replies in token order and passes each token position on once. Deltas may arrive out of
/// order, twice, or from a second run of the request (its worker died and the broker gave it to another) that
/// groups tokens differently: a delta is passed on from the first position not passed on yet, and a final or
/// failure message once every token before its position has been. Where a second run covers positions already
/// passed on, its tokens must equal them; different tokens (sampling without a seed cannot be repeated) are a
/// divergence, never joined to the first run's. Not thread-safe: the owner serialises calls.
/// </summary>
internal sealed class TokenPositionBuffer
{
    private readonly List<string> _passed = [];
    private readonly SortedDictionary<int, List<ReplyEvent>> _early = [];

    /// <summary>The next token position to pass on (how many have been).</summary>
    public int Next => _passed.Count;

    /// <summary>True once a run repeated positions already passed on (a replacement run).</summary>
    public bool Replayed { get; private set; }

    /// <summary>Adds a reply; returns those now ready in order, or a divergence.</summary>
    public TokenPositionResult Add(ReplyEvent reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var ready = new List<ReplyEvent>();
        var position = reply.Position;
        if (position > Next)
        {
            Hold(position, reply);
            return new TokenPositionResult(ready, Diverged: false);
        }

        if (!Take(reply, ready))
        {
            return new TokenPositionResult(ready, Diverged: true);
        }

        // Each release may make held replies ready; a terminal ends the stream.
        while (ready.Count == 0 || !ready[^1].IsTerminal)
        {
            var due = _early.FirstOrDefault();
            if (due.Value is null || due.Key > Next)
            {
                break;
            }

            _early.Remove(due.Key);
            foreach (var held in due.Value)
            {
                if (!Take(held, ready))
                {
                    return new TokenPositionResult(ready, Diverged: true);
                }

                if (ready.Count > 0 && ready[^1].IsTerminal)
                {
                    break;
                }
            }
        }

        return new TokenPositionResult(ready, Diverged: false);
    }

    private void Hold(int position, ReplyEvent reply)
    {
        if (!_early.TryGetValue(position, out var list))
        {
            _early[position] = list = [];
        }

        list.Add(reply);
    }

    /// <summary>Passes on what is new in a reply that starts at or before <see cref="Next"/>; false on a divergence.</summary>
    private bool Take(ReplyEvent reply, List<ReplyEvent> ready)
    {
        if (reply.Delta is not { } delta)
        {
            // A final message from a run that ended before the text already passed on is a different answer.
            if (reply.Finished is not null && reply.Position < Next)
            {
                return false;
            }

            ready.Add(reply);
            return true;
        }

        var known = Math.Min(delta.Tokens.Count, Next - delta.Position);
        if (known > 0)
        {
            Replayed = true;
        }

        for (var i = 0; i < known; i++)
        {
            if (!string.Equals(delta.Tokens[i], _passed[delta.Position + i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        if (known == delta.Tokens.Count)
        {
            return true;
        }

        var fresh = delta.Tokens.Skip(known).ToList();
        _passed.AddRange(fresh);
        ready.Add(ReplyEvent.Of(delta with
        {
            Position = delta.Position + known,
            Tokens = fresh,
            Logprobs = delta.Logprobs is { } logprobs && logprobs.Count == delta.Tokens.Count ? [.. logprobs.Skip(known)] : delta.Logprobs,
        }));
        return true;
    }
}
