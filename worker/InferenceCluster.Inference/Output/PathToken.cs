namespace InferenceCluster.Inference.Output;

/// <summary>A generated token, with its log-probability when the path computes one.</summary>
internal sealed record PathToken(int TokenId, PathLogprob? Logprob) : PathOutput;
