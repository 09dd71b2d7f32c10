namespace InferenceCluster.Scaling;

/// <summary>One request as the client saw it; times are <see cref="System.Diagnostics.Stopwatch"/> timestamps.</summary>
internal sealed record RequestSample(long Start, long FirstToken, long End, int Tokens, string? Error)
{
    public double LatencyMs => (End - Start) * 1000.0 / System.Diagnostics.Stopwatch.Frequency;

    public double FirstTokenMs => (FirstToken - Start) * 1000.0 / System.Diagnostics.Stopwatch.Frequency;
}
