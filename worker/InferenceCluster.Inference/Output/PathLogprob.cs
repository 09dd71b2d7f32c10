namespace InferenceCluster.Inference.Output;

/// <summary>Log-probability of a chosen token and the top alternatives as token ids (decoded later).</summary>
internal sealed record PathLogprob(double Logprob, IReadOnlyList<(int TokenId, double Logprob)> Top);
