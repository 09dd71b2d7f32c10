namespace InferenceCluster.Gateway.OpenAI;

/// <summary>The <c>logprobs</c> object of a choice.</summary>
internal sealed record LogprobsDto(IReadOnlyList<LogprobContent> Content);

/// <summary>Log-probability of one generated token and its most likely alternatives.</summary>
internal sealed record LogprobContent(string Token, double Logprob, IReadOnlyList<int> Bytes, IReadOnlyList<TopLogprobDto> TopLogprobs);

/// <summary>One alternative token at a position.</summary>
internal sealed record TopLogprobDto(string Token, double Logprob, IReadOnlyList<int> Bytes);
