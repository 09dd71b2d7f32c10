namespace InferenceCluster.Contracts;

/// <summary>
/// The codes of <see cref="CompletionFailed"/>: workers send them, the gateway maps them to HTTP statuses,
/// so both sides read them from here.
/// </summary>
public static class FailureCodes
{
    /// <summary>The prompt, or the prompt plus the requested output, does not fit the model's context.</summary>
    public const string ContextLengthExceeded = "context_length_exceeded";

    /// <summary>A setting of the request that this model or engine cannot apply.</summary>
    public const string InvalidConfig = "invalid_config";

    /// <summary>The request's deadline passed before or while it ran.</summary>
    public const string DeadlineExceeded = "deadline_exceeded";

    /// <summary>The engine failed; not the caller's fault.</summary>
    public const string EngineError = "engine_error";

    /// <summary>
    /// The worker running the request was lost after part of a streamed answer had been sent, and the run that
    /// replaced it produced different tokens (sampling without a seed), so the answer cannot be continued.
    /// </summary>
    public const string WorkerLost = "worker_lost";
}
