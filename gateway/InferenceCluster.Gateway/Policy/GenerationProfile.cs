namespace InferenceCluster.Gateway.Policy;

/// <summary>
/// A named set of sampling values (<c>Gateway:Profiles:{name}</c>) a client selects with a
/// <c>model:profile</c> suffix. Unset values fall back to the server defaults.
/// </summary>
public sealed class GenerationProfile
{
    public double? Temperature { get; set; }

    public double? TopP { get; set; }

    public int? TopK { get; set; }

    public int? MaxTokens { get; set; }

    public double? RepetitionPenalty { get; set; }
}
