namespace InferenceCluster.Gateway.OpenAI;

/// <summary>One choice of a streamed chunk; <see cref="FinishReason"/> is set on the last one only.</summary>
internal sealed record ChunkChoice(int Index, ChunkDelta Delta, LogprobsDto? Logprobs, string? FinishReason);
