using System.ComponentModel.DataAnnotations;

namespace InferenceCluster.Gateway.Policy;

/// <summary>
/// The server's sampling defaults (section <c>Gateway:Defaults</c>), applied to each request for the
/// values it does not set. They are read per request and never changed by one.
/// </summary>
public sealed class GenerationDefaultsOptions
{
    public const string SectionName = "Gateway:Defaults";

    /// <summary>Sample (true) or decode greedily (false) when the request sets no temperature.</summary>
    public bool DoSample { get; set; } = true;

    [Range(0.0, 2.0, ErrorMessage = "Gateway:Defaults:Temperature must lie between 0 and 2.")]
    public double Temperature { get; set; } = 0.55;

    [Range(double.Epsilon, 1.0, ErrorMessage = "Gateway:Defaults:TopP must be greater than 0 and at most 1.")]
    public double TopP { get; set; } = 0.95;

    [Range(0, int.MaxValue, ErrorMessage = "Gateway:Defaults:TopK must be 0 (no limit) or positive.")]
    public int TopK { get; set; }

    [Range(1, 1_000_000, ErrorMessage = "Gateway:Defaults:MaxTokens must lie between 1 and 1,000,000.")]
    public int MaxTokens { get; set; } = 1024;

    [Range(double.Epsilon, 2.0, ErrorMessage = "Gateway:Defaults:RepetitionPenalty must be greater than 0 and at most 2.")]
    public double RepetitionPenalty { get; set; } = 1.02;
}
