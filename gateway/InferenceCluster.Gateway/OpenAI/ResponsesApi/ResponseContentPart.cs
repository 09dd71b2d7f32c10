using System.Text.Json;
using System.Text.Json.Serialization;

namespace InferenceCluster.Gateway.OpenAI.ResponsesApi;

/// <summary>A content part of an output item: <c>output_text</c> (with its empty annotations) or <c>reasoning_text</c>.</summary>
internal sealed record ResponseContentPart(
    string Type,
    string Text,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<JsonElement>? Annotations)
{
    public static ResponseContentPart OutputText(string text) => new("output_text", text, []);

    public static ResponseContentPart ReasoningText(string text) => new("reasoning_text", text, null);
}
