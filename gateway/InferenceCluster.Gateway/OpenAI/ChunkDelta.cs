using System.Text.Json.Serialization;

namespace InferenceCluster.Gateway.OpenAI;

/// <summary>What a chunk adds to the message: the role in the first chunk, then answer text or reasoning text.</summary>
internal sealed record ChunkDelta(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Role,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Content,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ReasoningContent = null);
