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

    /// <summary>
    /// A worker gave the request up without an answer: its consumer failed (e.g. its replies could not be sent within
    /// their bound while the broker held every publish), and the transport moved the command to the error queue, so
    /// nothing runs it any more. Set by the gateway from the transport's fault message; a retry may succeed.
    /// </summary>
    public const string WorkerFault = "worker_fault";

    /// <summary>
    /// The broker returned the request's command unroutable: nothing was bound to the model's exchange (its queue had
    /// been deleted), and it still was not after the gateway's short retries, each of which declares the queue again.
    /// Set by the gateway, never by a worker; nothing ran the request, so a retry may succeed.
    /// </summary>
    public const string ModelQueueUnroutable = "model_queue_unroutable";

    /// <summary>
    /// The broker took the request from the worker running it while that worker ran on (it cancelled the worker's
    /// consumer, as when the model's queue is deleted): the command may be gone with its queue, so nothing would run it
    /// again. Set by the worker; a retry may succeed.
    /// </summary>
    public const string WorkerInterrupted = "worker_interrupted";
}
