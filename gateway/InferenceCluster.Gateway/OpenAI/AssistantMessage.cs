using System.Text.Json.Serialization;

namespace InferenceCluster.Gateway.OpenAI;

/// <summary>The generated message of a non-streamed choice; a reasoning model's reasoning is kept apart from the answer.</summary>
internal sealed record AssistantMessage(
    string Role,
    string Content,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ReasoningContent = null)
{
    public const string AssistantRole = "assistant";
}
