namespace InferenceCluster.Gateway.OpenAI;

/// <summary>Token counts of a completion.</summary>
internal sealed record UsageDto(int PromptTokens, int CompletionTokens, int TotalTokens, PromptTokensDetails PromptTokensDetails);

/// <summary>How many prompt tokens were served from the engine's prefix cache.</summary>
internal sealed record PromptTokensDetails(int CachedTokens);
