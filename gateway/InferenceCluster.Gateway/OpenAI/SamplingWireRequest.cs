using System.Text.Json;
using System.Text.Json.Serialization;
using InferenceCluster.Contracts;

namespace InferenceCluster.Gateway.OpenAI;

/// <summary>
/// The members <c>/v1/chat/completions</c> and <c>/v1/completions</c> share, as sent: the sampling settings
/// (inherited, with their wire names) and the rest. They mean the same in both and are validated by the same
/// rules (<see cref="RequestValidator"/>).
/// </summary>
internal abstract record SamplingWireRequest : SamplingSettings
{
    public string? Model { get; set; }

    /// <summary>A string or an array of strings; kept raw so the validator can name what is wrong.</summary>
    public JsonElement? Stop { get; set; }

    public bool? Stream { get; set; }

    public StreamOptionsDto? StreamOptions { get; set; }

    public string? User { get; set; }

    /// <summary>OpenAI's replacement for <see cref="User"/>: a stable (hashed) id of the end user, at most 64 characters.</summary>
    public string? SafetyIdentifier { get; set; }

    public int? N { get; set; }

    public double? PresencePenalty { get; set; }

    public double? FrequencyPenalty { get; set; }

    /// <summary>Every member the endpoint does not declare (functions, min_p, audio, …): each one is rejected by name.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
