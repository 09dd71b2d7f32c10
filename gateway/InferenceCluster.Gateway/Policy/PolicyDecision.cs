using InferenceCluster.Contracts;

namespace InferenceCluster.Gateway.Policy;

/// <summary>
/// What <see cref="GenerationPolicy"/> decided for a request: the base model id (profile suffix removed), the complete
/// config, every value the server chose over what the client sent (or left unset), the profile and the key's name.
/// </summary>
internal sealed record PolicyDecision(string Model, GenerationConfig Config, IReadOnlyList<PolicyAdjustment> Adjustments, string? Profile, string? KeyName);
