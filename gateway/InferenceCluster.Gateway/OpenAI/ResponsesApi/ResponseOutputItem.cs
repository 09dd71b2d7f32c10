using System.Text.Json.Serialization;

namespace InferenceCluster.Gateway.OpenAI.ResponsesApi;

/// <summary>
/// One item of a response's <c>output</c>: a <c>reasoning</c> item (the model's thinking as
/// <c>reasoning_text</c> content, no summary) or the assistant's <c>message</c> (<c>output_text</c> content).
/// </summary>
internal sealed record ResponseOutputItem(
    string Type,
    string Id,
    string Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Role,
    IReadOnlyList<ResponseContentPart> Content,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<ResponseContentPart>? Summary)
{
    /// <summary>A reasoning item's sealed text, only when the request's <c>include</c> asks for it.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? EncryptedContent { get; init; }

    public const string MessageType = "message";
    public const string ReasoningType = "reasoning";

    public static ResponseOutputItem Message(string id, string status, IReadOnlyList<ResponseContentPart> content) =>
        new(MessageType, id, status, AssistantMessage.AssistantRole, content, null);

    public static ResponseOutputItem Reasoning(string id, string status, IReadOnlyList<ResponseContentPart> content, string? encryptedContent = null) =>
        new(ReasoningType, id, status, null, content, []) { EncryptedContent = encryptedContent };
}
