using System.Text.Json;
using System.Text.Json.Serialization;

namespace InferenceCluster.Gateway.OpenAI;

/// <summary>
/// The body of <c>POST /v1/completions</c> as sent. Its sampling members mean what they mean in a chat
/// request and are validated by the same rules; <c>logprobs</c> is the legacy integer (how many alternatives).
/// </summary>
internal sealed class CompletionRequest
{
    public string? Model { get; set; }

    /// <summary>A string or an array of strings; kept raw so the validator can name what is wrong.</summary>
    public JsonElement? Prompt { get; set; }

    public double? Temperature { get; set; }

    public double? TopP { get; set; }

    public int? TopK { get; set; }

    public int? MaxTokens { get; set; }

    public int? MinTokens { get; set; }

    public double? RepetitionPenalty { get; set; }

    public JsonElement? Stop { get; set; }

    public long? Seed { get; set; }

    public bool? Stream { get; set; }

    public StreamOptionsDto? StreamOptions { get; set; }

    public string? User { get; set; }

    public int? Logprobs { get; set; }

    public int? N { get; set; }

    public int? BestOf { get; set; }

    public bool? Echo { get; set; }

    public string? Suffix { get; set; }

    public double? PresencePenalty { get; set; }

    public double? FrequencyPenalty { get; set; }

    /// <summary>Every member not declared above (logit_bias, min_p, …): each one is rejected by name.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
