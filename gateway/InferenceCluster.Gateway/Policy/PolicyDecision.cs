namespace InferenceCluster.Gateway.Policy;

/// <summary>The request with its base model id, its resolved config and adjustments, the profile and the key's name.</summary>
internal sealed record PolicyDecision(OpenAI.ValidatedChatRequest Request, ResolvedGeneration Resolved, string? Profile, string? KeyName);
