using System.Text.Json;
using InferenceCluster.Contracts;
using InferenceCluster.Gateway.Auth;
using InferenceCluster.Gateway.Policy;
using Microsoft.Extensions.Options;

namespace InferenceCluster.Gateway.Playground;

/// <summary>
/// What the page needs before its first request (<c>GET /playground/config.json</c>): the server defaults it
/// shows as placeholders, the profile names and values, whether a key is needed, and the trace link template.
/// Nothing about keys beyond that: no names, hashes or policies.
/// </summary>
internal sealed class PlaygroundSettings(
    IOptionsMonitor<SamplingSettings> defaults,
    IOptionsMonitor<PolicyOptions> policy,
    IOptions<PlaygroundOptions> playground,
    ApiKeyStore keys)
{
    public void Write(Utf8JsonWriter json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var fallback = ServerDefaults.WithBuiltIn(defaults.CurrentValue);
        json.WriteStartObject();
        json.WriteStartObject("defaults");
        json.WriteBoolean("do_sample", fallback.DoSample ?? true);
        WriteSampling(json, fallback.Temperature, fallback.TopP, fallback.TopK, fallback.MaxTokens, fallback.RepetitionPenalty);
        json.WriteEndObject();

        json.WriteStartArray("profiles");
        foreach (var (name, profile) in policy.CurrentValue.Profiles.OrderBy(entry => entry.Key, StringComparer.Ordinal))
        {
            json.WriteStartObject();
            json.WriteString("name", name);
            WriteSampling(json, profile.Temperature, profile.TopP, profile.TopK, profile.MaxTokens, profile.RepetitionPenalty);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteBoolean("api_key_required", !keys.IsOpen);
        var template = playground.Value.TraceUrlTemplate;
        if (string.IsNullOrWhiteSpace(template))
        {
            json.WriteNull("trace_url_template");
        }
        else
        {
            json.WriteString("trace_url_template", template);
        }

        json.WriteEndObject();
    }

    // A profile's unset value is left out: the page shows the server default for it.
    private static void WriteSampling(Utf8JsonWriter json, double? temperature, double? topP, int? topK, int? maxTokens, double? repetitionPenalty)
    {
        WriteIfSet(json, "temperature", temperature);
        WriteIfSet(json, "top_p", topP);
        WriteIfSet(json, "top_k", topK);
        WriteIfSet(json, "max_tokens", maxTokens);
        WriteIfSet(json, "repetition_penalty", repetitionPenalty);
    }

    private static void WriteIfSet(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } set)
        {
            json.WriteNumber(name, set);
        }
    }
}
