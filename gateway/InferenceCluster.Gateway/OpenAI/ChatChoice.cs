namespace InferenceCluster.Gateway.OpenAI;

/// <summary>One choice of a non-streamed completion.</summary>
internal sealed record ChatChoice(int Index, AssistantMessage Message, LogprobsDto? Logprobs, string FinishReason);
