namespace InferenceCluster.Inference.Output;

/// <summary>
/// The path finished the request; its resources are already released. <see cref="TerminalToken"/> is the
/// end-of-sequence token the model sampled to end its turn, which is never part of the generated tokens.
/// </summary>
internal sealed record PathFinished(
    PathFinishReason Reason, int PromptTokens, int GeneratedTokens, int CachedPromptTokens, string? Error = null, bool Rejected = false,
    int? TerminalToken = null)
    : PathOutput;
