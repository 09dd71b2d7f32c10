namespace InferenceCluster.Inference.Interop;

/// <summary>Which payloads an engine event carries (OgaEngineEventFlags).</summary>
[Flags]
internal enum EngineEventFlags : uint
{
    None = 0,
    Token = 1u << 0,
    TurnFinished = 1u << 1,
    CapacityBlocked = 1u << 2,
    Failed = 1u << 3,
    Retryable = 1u << 4,
}
