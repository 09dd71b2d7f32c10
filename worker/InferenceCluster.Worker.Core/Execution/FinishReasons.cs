using InferenceCluster.Contracts;
using InferenceCluster.Inference;

namespace InferenceCluster.Worker.Execution;

/// <summary>The engine's finish reasons as the contracts name them.</summary>
internal static class FinishReasons
{
    /// <summary>An engine error has no finish reason: it is reported as <see cref="CompletionFailed"/>.</summary>
    public static FinishReason ToContract(GenerationFinishReason reason) => reason switch
    {
        GenerationFinishReason.Stop => FinishReason.Stop,
        GenerationFinishReason.Length => FinishReason.Length,
        GenerationFinishReason.Cancelled => FinishReason.Cancelled,
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, "An engine error is reported as CompletionFailed, not as a finish reason."),
    };
}
