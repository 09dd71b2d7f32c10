using System.Text;
using InferenceCluster.Contracts;
using InferenceCluster.Inference;

namespace InferenceCluster.Worker.Streaming;

/// <summary>
/// Groups tokens into deltas: one broker message per token would cost more than the token itself.
/// The first visible token goes out at once (time to first token is what a user feels); after that a
/// delta is due every <see cref="FlushInterval"/> or every <see cref="MaxTokens"/> tokens, whichever
/// comes first. Token texts from the engine hold whole UTF-8 characters only, so a delta never splits one.
/// </summary>
internal sealed class DeltaCoalescer(TimeProvider time)
{
    public static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(20);

    public const int MaxTokens = 8;

    private readonly StringBuilder _text = new();
    private List<TokenLogprob>? _logprobs;
    private int _tokens;
    private long _lastFlush;
    private bool _flushedAny;

    /// <summary>Adds a token; returns true when a delta is due now.</summary>
    public bool Add(TokenGenerated token)
    {
        ArgumentNullException.ThrowIfNull(token);
        _text.Append(token.Text);
        _tokens++;
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
            || _tokens >= MaxTokens
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

        var delta = new PendingDelta(_text.ToString(), _tokens, _logprobs);
        _text.Clear();
        _logprobs = null;
        _tokens = 0;
        _lastFlush = time.GetTimestamp();
        _flushedAny = true;
        return delta;
    }

    private bool HasContent => _text.Length > 0 || _logprobs is not null;
}
