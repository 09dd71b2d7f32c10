namespace InferenceCluster.Contracts;

/// <summary>
/// Event: a request ended normally (stop, length or cancelled). Sent after the last delta; for a streamed request
/// it also carries the tokens generated since that delta, so a stream's end costs one message, not two.
/// </summary>
public sealed record CompletionFinished
{
    /// <summary>The request that finished.</summary>
    public required Guid RequestId { get; init; }

    /// <summary>
    /// The token position after the last token of the stream, <see cref="Tokens"/> included (0 when the request did
    /// not stream): a receiver passes this message on once it has passed on every token before it.
    /// </summary>
    public required int Position { get; init; }

    /// <summary>
    /// A streamed request's last tokens that no delta carried, in order; they occupy the positions just before
    /// <see cref="Position"/>. Null or empty when every token went out in deltas, and for a request that did not stream.
    /// </summary>
    public IReadOnlyList<string>? Tokens { get; init; }

    /// <summary>Why generation ended.</summary>
    public required FinishReason FinishReason { get; init; }

    /// <summary>Token counts.</summary>
    public required CompletionUsage Usage { get; init; }

    /// <summary>Where the time went.</summary>
    public required CompletionTimings Timings { get; init; }

    /// <summary>Which worker produced it.</summary>
    public required string WorkerId { get; init; }

    /// <summary>Revision of the model that produced it (part of the cache key).</summary>
    public required string ModelRevision { get; init; }

    /// <summary>The whole text, set when the request did not stream (then no deltas were sent).</summary>
    public string? Text { get; init; }

    /// <summary>
    /// Token log-probabilities when the request asked for them: all of them when it did not stream, those of
    /// <see cref="Tokens"/> when it did.
    /// </summary>
    public IReadOnlyList<TokenLogprob>? Logprobs { get; init; }

    /// <summary>
    /// For a reasoning model: how many generated tokens belong to the reasoning, up to and including the one
    /// that completes <c>&lt;/think&gt;</c> (all of them when the turn ended inside the reasoning). Null otherwise.
    /// </summary>
    public int? ReasoningTokens { get; init; }

    /// <summary>
    /// The max_tokens the request ran with: the config's own, or the room the context left when the worker fitted a
    /// server-chosen limit (<see cref="GenerationConfig.FitMaxTokensToContext"/>). Null from a worker that predates it.
    /// </summary>
    public int? MaxTokens { get; init; }
}

/// <summary>Why a generation ended.</summary>
public enum FinishReason
{
    /// <summary>End-of-sequence token or a stop string.</summary>
    Stop,

    /// <summary>Reached max tokens or the context limit.</summary>
    Length,

    /// <summary>The caller cancelled, or the deadline passed.</summary>
    Cancelled,
}

/// <summary>Token counts of one request.</summary>
public sealed record CompletionUsage(int PromptTokens, int CompletionTokens, int CachedPromptTokens);

/// <summary>Durations of the phases of one request.</summary>
public sealed record CompletionTimings(TimeSpan Queued, TimeSpan Prefill, TimeSpan Decode);
