namespace InferenceCluster.Gateway.OpenAI;

/// <summary>Breakdown of the completion tokens: how many went into the reasoning.</summary>
internal sealed record CompletionTokensDetails(int ReasoningTokens);
