using System.Text.Json;
using System.Text.Json.Serialization;

namespace InferenceCluster.Gateway.OpenAI;

/// <summary>One message of a chat request as sent: content is a string or an array of content parts.</summary>
internal sealed class ChatMessageDto
{
    public string? Role { get; set; }

    public JsonElement? Content { get; set; }

    /// <summary>
    /// An earlier answer's reasoning, as clients send a returned message back in the history. Accepted on
    /// assistant messages only and not passed on: the R1 chat template drops earlier turns' reasoning anyway.
    /// </summary>
    public JsonElement? ReasoningContent { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
