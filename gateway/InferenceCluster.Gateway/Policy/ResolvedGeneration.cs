using InferenceCluster.Contracts;

namespace InferenceCluster.Gateway.Policy;

/// <summary>A request's complete config and every value the server chose over what the client sent (or left unset).</summary>
internal sealed record ResolvedGeneration(GenerationConfig Config, IReadOnlyList<PolicyAdjustment> Adjustments);
