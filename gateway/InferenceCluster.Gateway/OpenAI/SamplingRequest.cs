namespace InferenceCluster.Gateway.OpenAI;

/// <summary>Sampling settings as requested (validated); null means "use the server's default".</summary>
internal sealed record SamplingRequest
{
    public double? Temperature { get; init; }

    public double? TopP { get; init; }

    public int? TopK { get; init; }

    public int? MaxTokens { get; init; }

    public int? MinTokens { get; init; }

    public double? RepetitionPenalty { get; init; }

    public long? Seed { get; init; }

    public IReadOnlyList<string> Stop { get; init; } = [];

    public bool Logprobs { get; init; }

    public int TopLogprobs { get; init; }
}
