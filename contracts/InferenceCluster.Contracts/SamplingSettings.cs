using System.Text.Json.Serialization;

namespace InferenceCluster.Contracts;

/// <summary>
/// Sampling settings, each one optional: what a request sets (the OpenAI request bodies derive from this
/// record, so the wire names are these), what a profile sets and the server's defaults. The gateway merges
/// them into one <see cref="GenerationConfig"/>; <see cref="SamplingRules"/> holds the range of each.
/// </summary>
public record SamplingSettings
{
    /// <summary>
    /// Sample (true) or decode greedily (false) when the temperature comes from the server's defaults; a
    /// temperature set by the request, a profile or a key's pin asks for sampling. Not a request member.
    /// </summary>
    [JsonIgnore]
    public bool? DoSample { get; init; }

    /// <summary>Softmax temperature, 0 to 2; 0 decodes greedily.</summary>
    public double? Temperature { get; init; }

    /// <summary>Nucleus sampling mass, (0, 1].</summary>
    public double? TopP { get; init; }

    /// <summary>Keep only the k most likely tokens; 0 means no limit.</summary>
    public int? TopK { get; init; }

    /// <summary>Most tokens to generate.</summary>
    public int? MaxTokens { get; init; }

    /// <summary>Fewest tokens to generate before an end-of-sequence token may end the turn.</summary>
    public int? MinTokens { get; init; }

    /// <summary>Multiplicative penalty on tokens already present, (0, 2]; 1 means none.</summary>
    public double? RepetitionPenalty { get; init; }

    /// <summary>Random seed of a sampled request; null means a fresh random stream.</summary>
    public long? Seed { get; init; }
}
