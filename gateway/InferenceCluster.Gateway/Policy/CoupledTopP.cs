namespace InferenceCluster.Gateway.Policy;

/// <summary>The top_p that goes with a temperature, by linear interpolation inside a band.</summary>
internal static class CoupledTopP
{
    /// <summary>The bands measured on the production model: 0.40–0.45 → 0.80–0.85, 0.50–0.55 → 0.90–0.95, 0.60–0.65 → 0.95–0.99.</summary>
    public static IReadOnlyList<CoupledTopPBand> TunedBands { get; } =
    [
        new() { TemperatureMin = 0.40, TemperatureMax = 0.45, TopPMin = 0.80, TopPMax = 0.85 },
        new() { TemperatureMin = 0.50, TemperatureMax = 0.55, TopPMin = 0.90, TopPMax = 0.95 },
        new() { TemperatureMin = 0.60, TemperatureMax = 0.65, TopPMin = 0.95, TopPMax = 0.99 },
    ];

    /// <summary>The coupled top_p, or null when the temperature lies outside every band (the default then stays).</summary>
    public static double? For(double temperature, IReadOnlyList<CoupledTopPBand> bands)
    {
        foreach (var band in bands.Count == 0 ? TunedBands : bands)
        {
            if (temperature < band.TemperatureMin || temperature > band.TemperatureMax)
            {
                continue;
            }

            var width = band.TemperatureMax - band.TemperatureMin;
            var fraction = width <= 0 ? 0 : (temperature - band.TemperatureMin) / width;

            // Rounded so that the header and the trace show 0.93, not 0.9299999999999999.
            return Math.Round(band.TopPMin + (fraction * (band.TopPMax - band.TopPMin)), 4);
        }

        return null;
    }
}
