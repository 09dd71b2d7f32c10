namespace InferenceCluster.Gateway.OpenAI;

/// <summary>Token counts of a completion.</summary>
internal sealed record UsageDto(int PromptTokens, int CompletionTokens, int TotalTokens, PromptTokensDetails PromptTokensDetails);
