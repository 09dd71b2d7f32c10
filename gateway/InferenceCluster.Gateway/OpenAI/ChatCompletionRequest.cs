using System.Text.Json;
using System.Text.Json.Serialization;

namespace InferenceCluster.Gateway.OpenAI;

/// <summary>
/// The body of <c>POST /v1/chat/completions</c> exactly as the client sent it. Nothing here is trusted:
/// <see cref="ChatRequestValidator"/> turns it into a <see cref="ValidatedChatRequest"/>. Parameters the
/// gateway does not implement are declared (or caught by <see cref="AdditionalProperties"/>) so that they
/// can be rejected by name instead of being ignored.
/// </summary>
internal sealed class ChatCompletionRequest
{
    public string? Model { get; set; }

    public List<ChatMessageDto?>? Messages { get; set; }

    public double? Temperature { get; set; }

    public double? TopP { get; set; }

    public int? TopK { get; set; }

    public int? MaxTokens { get; set; }

    public int? MaxCompletionTokens { get; set; }

    public int? MinTokens { get; set; }

    public double? RepetitionPenalty { get; set; }

    /// <summary>A string or an array of strings; kept raw so the validator can name what is wrong.</summary>
    public JsonElement? Stop { get; set; }

    public long? Seed { get; set; }

    public bool? Stream { get; set; }

    public StreamOptionsDto? StreamOptions { get; set; }

    public string? User { get; set; }

    public bool? Logprobs { get; set; }

    public int? TopLogprobs { get; set; }

    public int? N { get; set; }

    public double? PresencePenalty { get; set; }

    public double? FrequencyPenalty { get; set; }

    public JsonElement? ResponseFormat { get; set; }

    /// <summary>Every member not declared above (tools, logit_bias, …): each one is rejected by name.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
