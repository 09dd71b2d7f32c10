namespace InferenceCluster.Gateway.Policy;

/// <summary>Requests allowed more than <see cref="AboveTokens"/> tokens get at least <see cref="RepetitionPenalty"/>: long outputs loop otherwise.</summary>
public sealed class LongOutputRule
{
    public int AboveTokens { get; set; } = 1024;

    public double RepetitionPenalty { get; set; } = 1.15;
}
