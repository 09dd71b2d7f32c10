using InferenceCluster.Contracts;

namespace InferenceCluster.Inference;

/// <summary>
/// One loaded model. Requests are scheduled onto it and come back as a stream of events; each
/// request carries its own complete <see cref="GenerationConfig"/>.
/// </summary>
public interface IInferenceEngine : IAsyncDisposable
{
    /// <summary>What is loaded: id, revision, context length, capacity and what it can honour.</summary>
    ModelDescriptor Model { get; }

    /// <summary>Requests running now.</summary>
    int InFlight { get; }

    /// <summary>
    /// Counts each path's progress: every step it completes, every turn it begins, every token of a request run on its
    /// own, with the requests running on that path. A count moves as long as its path works, however slowly (a long
    /// prefill is one step); a count that stands still while its path has requests in flight means that path hangs (a
    /// call into the runtime that never returns, a deadlocked thread), even while another path moves. One entry per
    /// path, in the same order on every read.
    /// </summary>
    IReadOnlyList<PathProgress> Progress { get; }

    /// <summary>
    /// Validates the request against the model (throws <see cref="GenerationRejectedException"/>
    /// before any work when it cannot be honoured), then streams its tokens and a final
    /// <see cref="GenerationCompleted"/>. The input is either chat <paramref name="messages"/>, rendered with the
    /// model's chat template, or a raw <paramref name="prompt"/>, tokenized as it is; <paramref name="config"/> is
    /// honoured exactly or rejected; <paramref name="requestId"/> names the request in logs and traces.
    /// Cancelling <paramref name="cancellationToken"/> stops the
    /// request and frees its capacity; the stream then ends with <see cref="GenerationFinishReason.Cancelled"/>.
    /// Validation errors throw from this call itself; a refusal by the engine's own admission (rare)
    /// throws <see cref="GenerationRejectedException"/> from the first MoveNextAsync, before any token.
    /// Waiting for capacity happens inside the stream, so abandoning it early also frees the slot.
    /// </summary>
    IAsyncEnumerable<GenerationEvent> GenerateAsync(
        string requestId,
        IReadOnlyList<ChatMessage>? messages,
        string? prompt,
        GenerationConfig config,
        CancellationToken cancellationToken = default);
}
