using InferenceCluster.Contracts;

namespace InferenceCluster.Gateway.Policy;

/// <summary>
/// The policy settings of the <c>Gateway</c> section: profiles, coupled top_p, API keys and their
/// policies, and the per-model admission limit. Validated at start by <see cref="PolicyOptionsValidator"/>.
/// </summary>
public sealed class PolicyOptions
{
    public const string SectionName = "Gateway";

    public Dictionary<string, SamplingSettings> Profiles { get; set; } = new(StringComparer.Ordinal);

    public CoupledTopPOptions CoupledTopP { get; set; } = new();

    /// <summary>Empty = open mode: no key needed (a warning is logged at start).</summary>
    public List<ApiKeyEntry> ApiKeys { get; set; } = [];

    /// <summary>Requests per model this gateway instance keeps in flight; beyond, 429. 0 = no limit.</summary>
    public int MaxQueuedPerModel { get; set; }
}
