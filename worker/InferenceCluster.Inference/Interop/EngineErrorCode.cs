namespace InferenceCluster.Inference.Interop;

/// <summary>Classification of an engine failure or deferral (OgaErrorCode).</summary>
internal enum EngineErrorCode : uint
{
    None = 0,
    CapacityDeferred = 1,
    ExecutionCapacityExceeded = 2,
    RetryableExecution = 3,
    RequestUnserviceable = 4,
    EngineContractFailure = 5,
    EngineExecutionFailure = 6,
}
