namespace InferenceCluster.Gateway.OpenAI;

/// <summary>Log-probability of one generated token and its most likely alternatives.</summary>
internal sealed record LogprobContent(string Token, double Logprob, IReadOnlyList<int> Bytes, IReadOnlyList<TopLogprobDto> TopLogprobs);
