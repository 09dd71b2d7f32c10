namespace InferenceCluster.Inference.Interop;

/// <summary>Why an engine turn stopped (OgaFinishReason).</summary>
internal enum EngineFinishReason : uint
{
    None = 0,
    Eos = 1,
    StopString = 2,
    MaxGeneratedTokens = 3,
    MaxSessionTokens = 4,
    Cancelled = 5,
    Failed = 6,
}
