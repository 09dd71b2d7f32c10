namespace InferenceCluster.Gateway.OpenAI;

/// <summary>The <c>logprobs</c> object of a choice.</summary>
internal sealed record LogprobsDto(IReadOnlyList<LogprobContent> Content);
