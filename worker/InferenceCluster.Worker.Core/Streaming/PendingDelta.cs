using InferenceCluster.Contracts;

namespace InferenceCluster.Worker.Streaming;

/// <summary>Text and log-probabilities of several tokens, ready to go out as one delta.</summary>
internal sealed record PendingDelta(string Text, int TokenCount, IReadOnlyList<TokenLogprob>? Logprobs);
