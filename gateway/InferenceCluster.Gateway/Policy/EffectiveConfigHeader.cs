using System.Text;
using System.Text.Json;
using InferenceCluster.Contracts;

namespace InferenceCluster.Gateway.Policy;

/// <summary>
/// The response header holding the complete config a request ran with (after defaults, profile, coupled top_p
/// and key policy), as one line of JSON with the wire names, so that a client can show what was used rather
/// than what it asked for. It is sent before the worker has seen the prompt: a max_tokens the server chose is a
/// ceiling the worker lowers to the room the context leaves (<c>max_tokens_fit_to_context</c>), and a min_tokens the
/// server chose a floor it lowers likewise (<c>min_tokens_fit_to_context</c>), so it says so rather than claim limits
/// the worker may not use. The stop strings are counted (<c>stop_count</c>) and listed (<c>stop</c>) while the whole
/// header stays within <see cref="MaxLength"/>; longer, the list is left out rather than cut short.
/// </summary>
internal static class EffectiveConfigHeader
{
    public const string HeaderName = "X-Inference-Config";

    /// <summary>
    /// The longest header value written. Escaped, a stop string may take six times its bytes (16 KiB of stops made
    /// 96 KB), beyond what HTTP clients read; and nginx reads an upstream's status line and headers together into one
    /// 4 KiB buffer by default, so this value leaves that buffer half for the rest. Without stops the value is about
    /// 250 characters.
    /// </summary>
    public const int MaxLength = 2048;

    // Header values must be ASCII: the default encoder escapes everything else (and control characters) as \uXXXX.
    private static readonly JsonWriterOptions Options = new() { Indented = false };

    public static string Format(GenerationConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var whole = Write(config, listStops: true);
        return whole.Length <= MaxLength ? whole : Write(config, listStops: false);
    }

    private static string Write(GenerationConfig config, bool listStops)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            json.WriteStartObject();
            json.WriteBoolean("do_sample", config.DoSample);
            json.WriteNumber("temperature", config.Temperature);
            json.WriteNumber("top_p", config.TopP);
            json.WriteNumber("top_k", config.TopK);
            json.WriteNumber("max_tokens", config.MaxTokens);
            json.WriteBoolean("max_tokens_fit_to_context", config.FitMaxTokensToContext);
            json.WriteNumber("min_tokens", config.MinTokens);
            json.WriteBoolean("min_tokens_fit_to_context", config.FitMinTokensToContext);
            json.WriteNumber("repetition_penalty", config.RepetitionPenalty);
            if (config.Seed is { } seed)
            {
                json.WriteNumber("seed", seed);
            }
            else
            {
                json.WriteNull("seed");
            }

            json.WriteNumber("stop_count", config.Stop.Count);
            if (listStops)
            {
                json.WriteStartArray("stop");
                foreach (var stop in config.Stop)
                {
                    json.WriteStringValue(stop);
                }

                json.WriteEndArray();
            }

            json.WriteEndObject();
        }

        return Encoding.ASCII.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
