namespace InferenceCluster.Gateway.OpenAI;

/// <summary>One choice of a <c>text_completion</c> (whole or streamed); <see cref="FinishReason"/> is null until its last chunk.</summary>
internal sealed record TextChoice(string Text, int Index, TextLogprobsDto? Logprobs, string? FinishReason);
