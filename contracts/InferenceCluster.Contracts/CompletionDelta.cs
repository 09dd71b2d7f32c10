namespace InferenceCluster.Contracts;

/// <summary>Event: a piece of generated text. Sequence numbers start at 0 and have no gaps per request.</summary>
public sealed record CompletionDelta
{
    /// <summary>The request this delta belongs to.</summary>
    public required Guid RequestId { get; init; }

    /// <summary>Position of this delta in the request's stream, so the receiver can reorder and drop duplicates.</summary>
    public required long Sequence { get; init; }

    /// <summary>The text produced since the previous delta (always whole UTF-8 characters).</summary>
    public required string Text { get; init; }

    /// <summary>How many tokens this delta covers.</summary>
    public required int TokenCount { get; init; }

    /// <summary>Per-token log-probabilities when the request asked for them.</summary>
    public IReadOnlyList<TokenLogprob>? Logprobs { get; init; }
}
