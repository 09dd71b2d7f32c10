namespace InferenceCluster.Inference.Output;

/// <summary>Why a path ended a request.</summary>
internal enum PathFinishReason
{
    EndOfSequence,
    StopString,
    Length,
    Cancelled,
    Failed,
}
