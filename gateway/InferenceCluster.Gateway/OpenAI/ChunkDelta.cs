using System.Text.Json.Serialization;

namespace InferenceCluster.Gateway.OpenAI;

/// <summary>What a chunk adds to the message: the role in the first chunk, text afterwards.</summary>
internal sealed record ChunkDelta(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Role,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Content);
