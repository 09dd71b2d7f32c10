using InferenceCluster.Contracts;

namespace InferenceCluster.Gateway.Dispatch;

/// <summary>A completed generation as the HTTP side assembled it (whole text, usage, revision) — what the cache stores.</summary>
internal sealed record CompletionOutcome(
    string Text,
    FinishReason FinishReason,
    CompletionUsage Usage,
    string ModelRevision,
    string WorkerId,
    IReadOnlyList<TokenLogprob>? Logprobs);
