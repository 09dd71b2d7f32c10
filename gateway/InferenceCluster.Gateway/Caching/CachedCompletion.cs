using InferenceCluster.Contracts;

namespace InferenceCluster.Gateway.Caching;

/// <summary>A finished completion as stored in the cache: enough to answer as JSON or replay as a stream.</summary>
internal sealed record CachedCompletion(
    string Text,
    FinishReason FinishReason,
    int PromptTokens,
    int CompletionTokens,
    string ModelRevision,
    IReadOnlyList<TokenLogprob>? Logprobs,
    int? ReasoningTokens = null);
