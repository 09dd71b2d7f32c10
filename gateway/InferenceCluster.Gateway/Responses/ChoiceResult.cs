using InferenceCluster.Contracts;
using InferenceCluster.Gateway.Dispatch;

namespace InferenceCluster.Gateway.Responses;

/// <summary>One finished choice as the HTTP side assembled it (raw text, before any reasoning split).</summary>
internal sealed record ChoiceResult(
    ChoiceJob Job,
    string Text,
    FinishReason FinishReason,
    CompletionUsage Usage,
    int? ReasoningTokens,
    string ModelRevision,
    string WorkerId,
    IReadOnlyList<TokenLogprob>? Logprobs,
    bool FromCache,
    int? MaxTokens = null);
