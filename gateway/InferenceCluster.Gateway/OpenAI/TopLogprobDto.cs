namespace InferenceCluster.Gateway.OpenAI;

/// <summary>One alternative token at a position.</summary>
internal sealed record TopLogprobDto(string Token, double Logprob, IReadOnlyList<int> Bytes);
