namespace InferenceCluster.Contracts;

/// <summary>
/// The complete, resolved sampling settings of one request. It travels inside every message from
/// the edge to the sampler; no component keeps sampling state between requests.
/// </summary>
public sealed record GenerationConfig
{
    /// <summary>False means greedy decoding (temperature, top_p, top_k and seed are then unused).</summary>
    public required bool DoSample { get; init; }

    /// <summary>Softmax temperature, 0 to 2.</summary>
    public required double Temperature { get; init; }

    /// <summary>Nucleus sampling mass, (0, 1].</summary>
    public required double TopP { get; init; }

    /// <summary>Keep only the k most likely tokens; 0 means no limit.</summary>
    public int TopK { get; init; }

    /// <summary>Most tokens to generate.</summary>
    public required int MaxTokens { get; init; }

    /// <summary>
    /// True when <see cref="MaxTokens"/> is the server's ceiling, not the client's own value (a profile, the server's
    /// defaults or a key's pin chose it): the worker lowers it to the room the context leaves after the prompt instead
    /// of rejecting the request. False (a max_tokens the client sent): honoured as sent, or rejected naming it.
    /// </summary>
    public bool FitMaxTokensToContext { get; init; }

    /// <summary>Fewest tokens to generate before an end-of-sequence token may end the turn.</summary>
    public int MinTokens { get; init; }

    /// <summary>
    /// True when <see cref="MinTokens"/> is the server's floor, not the client's own value (a profile, the server's
    /// defaults or a key's pin chose it): the worker lowers it to what the context leaves after the prompt (and never
    /// above the max_tokens it applies) instead of rejecting the request. False (a min_tokens the client sent):
    /// honoured as sent, or rejected naming it.
    /// </summary>
    public bool FitMinTokensToContext { get; init; }

    /// <summary>Multiplicative penalty on tokens already present; 1 means none.</summary>
    public double RepetitionPenalty { get; init; } = 1.0;

    /// <summary>Forbid repeating any n-gram of this size; 0 means off.</summary>
    public int NoRepeatNgramSize { get; init; }

    /// <summary>Random seed of a sampled request; null means a fresh random stream.</summary>
    public long? Seed { get; init; }

    /// <summary>Strings that end the turn; the matched text is not returned.</summary>
    public IReadOnlyList<string> Stop { get; init; } = [];

    /// <summary>Return the log-probability of each generated token.</summary>
    public bool Logprobs { get; init; }

    /// <summary>How many alternatives per position to return with <see cref="Logprobs"/>, 0 to 20.</summary>
    public int TopLogprobs { get; init; }

    /// <summary>Constrained decoding (the API's <c>response_format</c>); null means free text.</summary>
    public GenerationGuidance? Guidance { get; init; }

    /// <summary>True when the output is a function of the inputs alone (greedy, or sampled with a seed).</summary>
    public bool IsDeterministic => !DoSample || Seed is not null;
}
