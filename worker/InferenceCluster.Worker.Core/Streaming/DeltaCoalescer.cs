using InferenceCluster.Contracts;
using InferenceCluster.Inference;

namespace InferenceCluster.Worker.Streaming;

/// <summary>
/// Groups tokens into deltas: one broker message per token would cost more than the token itself.
/// The first visible token goes out at once (time to first token is what a user feels); after that a
/// delta is due every <see cref="FlushInterval"/> or every <see cref="MaxTokens"/> tokens, whichever
/// comes first. Token texts from the engine hold whole UTF-8 characters only, so a delta never splits one.
/// Each token's text is kept apart: the grouping depends on timing, so a second run of the same request groups
/// differently, and a receiver resuming it must be able to start at any token.
/// </summary>
internal sealed class DeltaCoalescer(TimeProvider time)
{
    public static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(20);

    public const int MaxTokens = 8;

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

        if (!HasContent)
        {
            // A token that only starts a multi-byte character shows nothing yet; wait for the rest.
            return false;
        }

        return !_flushedAny
            || _tokens.Count >= MaxTokens
            || time.GetElapsedTime(_lastFlush) >= FlushInterval;
    }

    /// <summary>
    /// How long pending text may still wait before it is due even if no further token comes (the engine
    /// can stall while it prefills other requests); null when nothing visible is pending.
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

    /// <summary>Takes what is pending, or null when nothing visible is.</summary>
    public PendingDelta? Flush()
    {
        if (!HasContent)
        {
            return null;
        }

        var delta = new PendingDelta([.. _tokens], _logprobs);
        _tokens.Clear();
        _logprobs = null;
        _hasText = false;
        _lastFlush = time.GetTimestamp();
        _flushedAny = true;
        return delta;
    }

    private bool HasContent => _hasText || _logprobs is not null;
}
