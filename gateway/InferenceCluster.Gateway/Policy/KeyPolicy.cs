namespace InferenceCluster.Gateway.Policy;

/// <summary>
/// What the operator allows one API key. Parameter names are the wire names: temperature, top_p, top_k,
/// max_tokens, min_tokens, repetition_penalty.
/// </summary>
public sealed class KeyPolicy
{
    /// <summary>Allowed values; a client value outside is rejected with 400 naming the parameter.</summary>
    public Dictionary<string, ParameterRange> Ranges { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Fixed values: whatever the client sent is replaced.</summary>
    public Dictionary<string, double> Pins { get; set; } = new(StringComparer.Ordinal);

    /// <summary>A larger max_tokens is lowered to this.</summary>
    public int? MaxTokensCap { get; set; }

    public LongOutputRule? LongOutput { get; set; }

    /// <summary>
    /// Cached answers of this key are kept apart from every other key's unless this is true: then they live in one
    /// namespace shared by all keys that opt in (one key can then tell from a fast answer what another asked).
    /// </summary>
    public bool SharedCache { get; set; }

    /// <summary>Requests per minute for this key (fixed one-minute window, counted across gateways in Redis); null = unlimited.</summary>
    public int? RequestsPerMinute { get; set; }
}
