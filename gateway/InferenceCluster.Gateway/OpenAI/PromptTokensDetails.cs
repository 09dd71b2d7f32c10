namespace InferenceCluster.Gateway.OpenAI;

/// <summary>How many prompt tokens were served from the engine's prefix cache.</summary>
internal sealed record PromptTokensDetails(int CachedTokens);
