using System.Text.Json;
using System.Text.Json.Serialization;

namespace InferenceCluster.Gateway.OpenAI;

/// <summary>
/// The members <c>/v1/chat/completions</c> and <c>/v1/completions</c> share, as sent: they mean the same in
/// both and are validated by the same rules (<see cref="ChatRequestValidator.ValidateSampling"/>).
/// </summary>
internal abstract class SamplingWireRequest
{
    public string? Model { get; set; }

    public double? Temperature { get; set; }

    public double? TopP { get; set; }

    public int? TopK { get; set; }

    public int? MaxTokens { get; set; }

    public int? MinTokens { get; set; }

    public double? RepetitionPenalty { get; set; }

    /// <summary>A string or an array of strings; kept raw so the validator can name what is wrong.</summary>
    public JsonElement? Stop { get; set; }

    public long? Seed { get; set; }

    public bool? Stream { get; set; }

    public StreamOptionsDto? StreamOptions { get; set; }

    public string? User { get; set; }

    public int? N { get; set; }

    public double? PresencePenalty { get; set; }

    public double? FrequencyPenalty { get; set; }

    /// <summary>Every member the endpoint does not declare (tools, logit_bias, min_p, …): each one is rejected by name.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
