namespace InferenceCluster.Worker.Execution;

/// <summary>Codes the worker itself puts in <see cref="Contracts.CompletionFailed"/> (the engine's own come with its rejections).</summary>
internal static class FailureCodes
{
    public const string DeadlineExceeded = "deadline_exceeded";
    public const string EngineError = "engine_error";
}
