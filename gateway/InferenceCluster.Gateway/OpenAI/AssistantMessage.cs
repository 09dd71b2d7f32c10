using System.Text.Json.Serialization;

namespace InferenceCluster.Gateway.OpenAI;

/// <summary>The generated message of a non-streamed choice; a reasoning model's reasoning is kept apart from the answer.</summary>
internal sealed record AssistantMessage(
    string Role,
    string Content,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ReasoningContent = null)
{
    public const string AssistantRole = "assistant";

    /// <summary>Always null: the model never refuses in OpenAI's sense. Sent all the same, as the SDKs' types require it.</summary>
    public string? Refusal => null;
}
