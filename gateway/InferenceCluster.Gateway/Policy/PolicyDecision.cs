namespace InferenceCluster.Gateway.Policy;

/// <summary>The base model id (profile suffix removed), the resolved config and adjustments, the profile and the key's name.</summary>
internal sealed record PolicyDecision(string Model, ResolvedGeneration Resolved, string? Profile, string? KeyName);
