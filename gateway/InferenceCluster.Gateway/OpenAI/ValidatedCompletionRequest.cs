namespace InferenceCluster.Gateway.OpenAI;

/// <summary>A completions request that passed validation: one or more prompts and the sampling the client set.</summary>
internal sealed record ValidatedCompletionRequest
{
    public required string Model { get; init; }

    /// <summary>The prompts in order; each gets <see cref="N"/> choices.</summary>
    public required IReadOnlyList<string> Prompts { get; init; }

    public required bool Stream { get; init; }

    public required bool IncludeUsage { get; init; }

    public string? User { get; init; }

    public int N { get; init; } = 1;

    public required SamplingRequest Sampling { get; init; }
}
