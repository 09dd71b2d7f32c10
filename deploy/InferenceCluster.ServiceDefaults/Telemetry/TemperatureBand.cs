namespace InferenceCluster.ServiceDefaults.Telemetry;

/// <summary>
/// A request's temperature as a few bands, so stability signals can be grouped by it without one series
/// per distinct value: <c>greedy</c>, <c>0-0.4</c>, <c>0.4-0.7</c>, <c>0.7-1.0</c>, <c>1.0+</c>.
/// </summary>
public static class TemperatureBand
{
    /// <summary>The band of a request sampled (or not) at <paramref name="temperature"/>.</summary>
    public static string Of(bool doSample, double temperature) =>
        !doSample || temperature <= 0 ? "greedy"
        : temperature < 0.4 ? "0-0.4"
        : temperature < 0.7 ? "0.4-0.7"
        : temperature < 1.0 ? "0.7-1.0"
        : "1.0+";
}
