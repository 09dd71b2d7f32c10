using System.Text.Json.Serialization;

namespace InferenceCluster.Gateway.OpenAI;

/// <summary>A non-streamed chat completion (<c>"object": "chat.completion"</c>); the fingerprint is the model revision.</summary>
internal sealed record ChatCompletionResponse(
    string Id,
    string Object,
    long Created,
    string Model,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? SystemFingerprint,
    IReadOnlyList<ChatChoice> Choices,
    UsageDto Usage);
