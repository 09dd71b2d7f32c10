namespace InferenceCluster.Gateway.OpenAI;

/// <summary>The legacy completions <c>logprobs</c> object: parallel lists per generated token.</summary>
internal sealed record TextLogprobsDto(
    IReadOnlyList<string> Tokens,
    IReadOnlyList<double> TokenLogprobs,
    IReadOnlyList<Dictionary<string, double>> TopLogprobs,
    IReadOnlyList<int> TextOffset);
