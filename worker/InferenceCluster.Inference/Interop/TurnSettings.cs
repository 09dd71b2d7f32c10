using InferenceCluster.Contracts;

namespace InferenceCluster.Inference.Interop;

/// <summary>
/// Per-turn generation policy for an engine turn. A null member stays unset, which GenAI reads as
/// "the model's default for this turn" (never "what the previous turn used").
/// </summary>
internal sealed record TurnSettings
{
    public required int MaxGeneratedTokens { get; init; }

    public int MinGeneratedTokens { get; init; }

    public required bool DoSample { get; init; }

    public float? Temperature { get; init; }

    public float? TopP { get; init; }

    public int? TopK { get; init; }

    public float? RepetitionPenalty { get; init; }

    public int? NoRepeatNgramSize { get; init; }

    public ulong? Seed { get; init; }

    public IReadOnlyList<string> StopStrings { get; init; } = [];

    /// <summary>"json_schema", "regex" or "lark_grammar" with its grammar text, or null.</summary>
    public (string Type, string Data)? Guidance { get; init; }

    /// <summary>
    /// Whether GenAI is asked to sample. Sampling from the top-1 token is greedy selection, and GenAI rejects
    /// sampling knobs on it, so it runs as greedy (the gateway already sends it as greedy).
    /// </summary>
    public static bool Samples(GenerationConfig config) => config.DoSample && config.TopK != 1;

    /// <summary>
    /// The native settings of a config. A greedy turn leaves the sampling knobs unset: GenAI rejects knobs the
    /// policy would ignore. <paramref name="withStops"/> is false on a path that matches stop strings itself.
    /// </summary>
    public static TurnSettings For(GenerationConfig config, bool withStops)
    {
        ArgumentNullException.ThrowIfNull(config);
        var sample = Samples(config);
        return new TurnSettings
        {
            MaxGeneratedTokens = config.MaxTokens,
            MinGeneratedTokens = config.MinTokens,
            DoSample = sample,
            Temperature = sample ? (float)config.Temperature : null,
            TopP = sample ? (float)config.TopP : null,

            // 0 means "no limit" here but "model default" (often 50) when unset in GenAI: always explicit.
            TopK = sample ? config.TopK : null,
            RepetitionPenalty = (float)config.RepetitionPenalty,
            NoRepeatNgramSize = config.NoRepeatNgramSize,
            Seed = sample && config.Seed is { } seed ? unchecked((ulong)seed) : null,
            StopStrings = withStops ? config.Stop : [],
            Guidance = config.Guidance is { } guidance ? (guidance.Type, guidance.Data) : null,
        };
    }
}
