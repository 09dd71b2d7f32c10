namespace InferenceCluster.Inference.Interop;

/// <summary>Token counters of a finished turn.</summary>
internal readonly record struct EngineTurnUsage(long PromptTokens, long GeneratedTokens, long CachedPromptTokens);
