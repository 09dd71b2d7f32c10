using InferenceCluster.Contracts;
using InferenceCluster.Inference;

namespace InferenceCluster.Worker.Streaming;

/// <summary>
/// Groups a stream's tokens into deltas by time alone, so that a stream costs the broker at most one delta per
/// <see cref="FlushInterval"/> at any token rate (a count limit would send more messages the faster a GPU runs).
/// The rule: the first visible text is due at once (time to first token is what a user feels); every later delta
/// is due once <see cref="FlushInterval"/> has passed since the previous one was taken, carrying every token that
/// arrived meanwhile; whatever is pending when the stream ends rides on the final message. Token texts from the
/// engine hold whole UTF-8 characters only, so a delta never splits one. Each token's text is kept apart: the
/// grouping depends on timing, so a second run of the same request groups differently, and a receiver resuming
/// it must be able to start at any token.
/// </summary>
internal sealed class DeltaCoalescer(TimeProvider time)
{
    public static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(20);

    private readonly List<string> _tokens = [];
    private List<TokenLogprob>? _logprobs;
    private bool _hasText;
    private long _lastFlush;
    private bool _flushedAny;

    /// <summary>Adds a token; returns true when a delta is due now.</summary>
    public bool Add(TokenGenerated token)
    {
        ArgumentNullException.ThrowIfNull(token);
        _tokens.Add(token.Text);
        _hasText |= token.Text.Length > 0;
        if (token.Logprob is { } logprob)
        {
            (_logprobs ??= []).Add(logprob);
        }

        return TimeUntilDue == TimeSpan.Zero;
    }

    /// <summary>
    /// How long pending text must still wait before it is due, zero when it is due now (the engine can stall while
    /// it prefills other requests, so the caller arms a timer for this rather than waiting for the next token);
    /// null when nothing visible is pending (a token that only starts a multi-byte character shows nothing yet).
    /// </summary>
    public TimeSpan? TimeUntilDue
    {
        get
        {
            if (!HasContent)
            {
                return null;
            }

            var left = FlushInterval - time.GetElapsedTime(_lastFlush);
            return !_flushedAny || left <= TimeSpan.Zero ? TimeSpan.Zero : left;
        }
    }

    /// <summary>Takes what is pending as the next delta, or null when nothing visible is; its interval starts now.</summary>
    public PendingDelta? Flush()
    {
        if (!HasContent)
        {
            return null;
        }

        _lastFlush = time.GetTimestamp();
        _flushedAny = true;
        return TakeRest();
    }

    /// <summary>
    /// Takes what is pending for the final message, whether due or not, or null when nothing is. Unlike
    /// <see cref="Flush"/> it includes tokens without visible text, so the final message's position covers them.
    /// </summary>
    public PendingDelta? TakeRest()
    {
        if (_tokens.Count == 0)
        {
            return null;
        }

        var delta = new PendingDelta([.. _tokens], _logprobs);
        _tokens.Clear();
        _logprobs = null;
        _hasText = false;
        return delta;
    }

    private bool HasContent => _hasText || _logprobs is not null;
}
