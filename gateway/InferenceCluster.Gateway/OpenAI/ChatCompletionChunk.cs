using System.Text.Json.Serialization;

namespace InferenceCluster.Gateway.OpenAI;

/// <summary>One server-sent event of a streamed completion (<c>"object": "chat.completion.chunk"</c>).</summary>
internal sealed record ChatCompletionChunk(
    string Id,
    string Object,
    long Created,
    string Model,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? SystemFingerprint,
    IReadOnlyList<ChunkChoice> Choices,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] UsageSlot Usage);
