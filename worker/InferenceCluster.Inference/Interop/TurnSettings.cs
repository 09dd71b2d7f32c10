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
}
