namespace InferenceCluster.Gateway.Policy;

/// <summary>
/// <c>Gateway:CoupledTopP</c>: when a client sets a temperature but no top_p, top_p follows the band the
/// temperature falls in, because a top_p tuned for another temperature samples worse than a matched pair.
/// </summary>
public sealed class CoupledTopPOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>The coupled top_p bands measured on the production model: 0.40–0.45 → 0.80–0.85, 0.50–0.55 → 0.90–0.95, 0.60–0.65 → 0.95–0.99.</summary>
    public static IReadOnlyList<CoupledTopPBand> TunedBands { get; } =
    [
        new() { TemperatureMin = 0.40, TemperatureMax = 0.45, TopPMin = 0.80, TopPMax = 0.85 },
        new() { TemperatureMin = 0.50, TemperatureMax = 0.55, TopPMin = 0.90, TopPMax = 0.95 },
        new() { TemperatureMin = 0.60, TemperatureMax = 0.65, TopPMin = 0.95, TopPMax = 0.99 },
    ];

    /// <summary>The bands; empty means the tuned production bands (<see cref="TunedBands"/>).</summary>
    public List<CoupledTopPBand> Bands { get; set; } = [];
}
