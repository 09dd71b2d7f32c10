namespace InferenceCluster.Inference.Interop;

/// <summary>What an engine reports about itself once created.</summary>
internal sealed record EngineCapabilities(int MaxBatchSize, int MaxScheduledTokens, long MaxRequestLength);
