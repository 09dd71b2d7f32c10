namespace InferenceCluster.FaultDrills.Cluster;

/// <summary>One request of a load loop: when it started (since the drill began), how long it took, and what came back.</summary>
internal sealed record RequestOutcome(TimeSpan StartedAt, TimeSpan Elapsed, int Status, string? Failure)
{
    public bool Ok => Failure is null;
}
