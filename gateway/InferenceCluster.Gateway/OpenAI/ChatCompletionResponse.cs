namespace InferenceCluster.Gateway.OpenAI;

/// <summary>A non-streamed chat completion (<c>"object": "chat.completion"</c>).</summary>
internal sealed record ChatCompletionResponse(
    string Id,
    string Object,
    long Created,
    string Model,
    IReadOnlyList<ChatChoice> Choices,
    UsageDto Usage);
