namespace InferenceCluster.Gateway.Policy;

/// <summary>
/// <c>Gateway:CoupledTopP</c>: when a client sets a temperature but no top_p, top_p follows the band the
/// temperature falls in, because a top_p tuned for another temperature samples worse than a matched pair.
/// </summary>
public sealed class CoupledTopPOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>The bands; empty means the tuned production bands (<see cref="GenerationPolicy.TunedBands"/>).</summary>
    public List<CoupledTopPBand> Bands { get; set; } = [];
}
