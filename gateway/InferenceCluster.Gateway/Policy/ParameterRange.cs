namespace InferenceCluster.Gateway.Policy;

/// <summary>The values of one parameter a key may use; either bound may be left open.</summary>
public sealed class ParameterRange
{
    public double? Min { get; set; }

    public double? Max { get; set; }

    public bool Contains(double value) => (Min is not { } min || value >= min) && (Max is not { } max || value <= max);

    public double Clamp(double value) => Math.Min(Max ?? double.MaxValue, Math.Max(Min ?? double.MinValue, value));
}
