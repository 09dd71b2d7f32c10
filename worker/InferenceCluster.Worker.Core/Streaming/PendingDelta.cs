using InferenceCluster.Contracts;

namespace InferenceCluster.Worker.Streaming;

/// <summary>The texts and log-probabilities of several consecutive tokens, ready to go out as one delta.</summary>
internal sealed record PendingDelta(IReadOnlyList<string> Tokens, IReadOnlyList<TokenLogprob>? Logprobs)
{
    public int TokenCount => Tokens.Count;
}
