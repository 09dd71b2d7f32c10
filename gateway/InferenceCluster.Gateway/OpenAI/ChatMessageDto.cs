using System.Text.Json;
using System.Text.Json.Serialization;

namespace InferenceCluster.Gateway.OpenAI;

/// <summary>One message of a chat request as sent: content is a string or an array of content parts.</summary>
internal sealed class ChatMessageDto
{
    public string? Role { get; set; }

    public JsonElement? Content { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
