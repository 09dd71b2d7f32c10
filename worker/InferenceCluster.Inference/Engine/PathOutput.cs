namespace InferenceCluster.Inference.Engine;

/// <summary>What a generation path (engine loop or classic generator) reports for one request, before text decoding.</summary>
internal abstract record PathOutput;

/// <summary>A generated token, with its log-probability when the path computes one.</summary>
internal sealed record PathToken(int TokenId, PathLogprob? Logprob) : PathOutput;

/// <summary>
/// The path finished the request; its resources are already released. <see cref="TerminalToken"/> is the
/// end-of-sequence token the model sampled to end its turn, which is never part of the generated tokens.
/// </summary>
internal sealed record PathFinished(
    PathFinishReason Reason, int PromptTokens, int GeneratedTokens, int CachedPromptTokens, string? Error = null, bool Rejected = false,
    int? TerminalToken = null)
    : PathOutput;

/// <summary>Log-probability of a chosen token and the top alternatives as token ids (decoded later).</summary>
internal sealed record PathLogprob(double Logprob, IReadOnlyList<(int TokenId, double Logprob)> Top);

/// <summary>Why a path ended a request.</summary>
internal enum PathFinishReason
{
    EndOfSequence,
    StopString,
    Length,
    Cancelled,
    Failed,
}
