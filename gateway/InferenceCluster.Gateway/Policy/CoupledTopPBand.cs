namespace InferenceCluster.Gateway.Policy;

/// <summary>A tuned band: a temperature in [TemperatureMin, TemperatureMax] maps linearly onto [TopPMin, TopPMax].</summary>
public sealed class CoupledTopPBand
{
    public double TemperatureMin { get; set; }

    public double TemperatureMax { get; set; }

    public double TopPMin { get; set; }

    public double TopPMax { get; set; }
}
