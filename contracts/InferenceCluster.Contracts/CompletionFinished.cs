namespace InferenceCluster.Contracts;

/// <summary>Event: a request ended normally (stop, length or cancelled). Sent after the last delta.</summary>
public sealed record CompletionFinished
{
    /// <summary>The request that finished.</summary>
    public required Guid RequestId { get; init; }

    /// <summary>
    /// The token position after the last delta sent (0 when the request did not stream): a receiver passes this
    /// message on once it has passed on every token before it.
    /// </summary>
    public required int Position { get; init; }

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

    /// <summary>All token log-probabilities, set when the request did not stream and asked for them.</summary>
    public IReadOnlyList<TokenLogprob>? Logprobs { get; init; }

    /// <summary>
    /// For a reasoning model: how many generated tokens belong to the reasoning, up to and including the one
    /// that completes <c>&lt;/think&gt;</c> (all of them when the turn ended inside the reasoning). Null otherwise.
    /// </summary>
    public int? ReasoningTokens { get; init; }
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
