namespace InferenceCluster.Contracts;

/// <summary>
/// Event: generated tokens of a streamed request, with the token positions they occupy. A receiver resumes by
/// position: when a request is run again (its worker died and the broker handed it to another), the new run's
/// deltas start at position 0 again and may group tokens differently; positions say which of them are new.
/// </summary>
public sealed record CompletionDelta
{
    /// <summary>The request this delta belongs to.</summary>
    public required Guid RequestId { get; init; }

    /// <summary>Position of the first token of this delta among the request's generated tokens (0 = the first).</summary>
    public required int Position { get; init; }

    /// <summary>
    /// The text of each token, in order, so a receiver can take the tokens from any position on. A token holds
    /// only whole UTF-8 characters (a character split across tokens comes with the token that completes it), so
    /// a token's text may be empty.
    /// </summary>
    public required IReadOnlyList<string> Tokens { get; init; }

    /// <summary>Per-token log-probabilities (one per token) when the request asked for them.</summary>
    public IReadOnlyList<TokenLogprob>? Logprobs { get; init; }

    /// <summary>The text of all tokens of this delta.</summary>
    public string Text() => string.Concat(Tokens);
}
