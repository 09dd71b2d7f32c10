namespace InferenceCluster.Inference.Interop;

/// <summary>What an engine reports about itself once created.</summary>
internal sealed record EngineCapabilities(int MaxBatchSize, int MaxScheduledTokens, long MaxRequestLength)
{
    /// <summary>Static engines report no token budget.</summary>
    public bool IsDynamic => MaxScheduledTokens > 0;
}
