using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using InferenceCluster.Contracts;

namespace InferenceCluster.Gateway.Caching;

/// <summary>
/// The cache key of a request: SHA-256 over a canonical JSON of its namespace (<see cref="CacheScope"/>: who may
/// share the answer) and everything that decides the output (model id, model revision, messages or prompt, the
/// full resolved config). Fields are written in a
/// fixed order; settings that greedy decoding does not use are left out, so they cannot split the key.
/// </summary>
internal static class CompletionCacheKey
{
    /// <summary>Only deterministic requests may be answered from the cache: greedy, or sampled with a seed.</summary>
    public static bool IsCacheable(GenerationConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.IsDeterministic;
    }

    public static string Compute(string scope, string model, string modelRevision, IReadOnlyList<ChatMessage>? messages, string? prompt, GenerationConfig config)
    {
        ArgumentException.ThrowIfNullOrEmpty(scope);
        ArgumentException.ThrowIfNullOrEmpty(model);
        ArgumentException.ThrowIfNullOrEmpty(modelRevision);
        ArgumentNullException.ThrowIfNull(config);

        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            // 3: seeds outside 0..2^31-1 sample other text since SamplerSeed folds them alike on every path, and
            // several system messages are joined into one prompt on templates that keep only the last.
            json.WriteNumber("v", 3);
            json.WriteString("scope", scope);
            json.WriteString("model", model);
            json.WriteString("revision", modelRevision);
            if (messages is not null)
            {
                json.WriteStartArray("messages");
                foreach (var message in messages)
                {
                    json.WriteStartArray();
                    json.WriteStringValue(message.Role);
                    json.WriteStringValue(message.Content);
                    json.WriteEndArray();
                }

                json.WriteEndArray();
            }

            if (prompt is not null)
            {
                json.WriteString("prompt", prompt);
            }

            WriteConfig(json, config);
            json.WriteEndObject();
        }

        return Convert.ToHexStringLower(SHA256.HashData(buffer.WrittenSpan));
    }

    private static void WriteConfig(Utf8JsonWriter json, GenerationConfig config)
    {
        json.WriteStartObject("config");
        json.WriteBoolean("do_sample", config.DoSample);
        if (config.DoSample)
        {
            WriteDouble(json, "temperature", config.Temperature);
            WriteDouble(json, "top_p", config.TopP);
            json.WriteNumber("top_k", config.TopK);
            json.WriteNumber("seed", config.Seed ?? throw new ArgumentException("An unseeded sampled request has no cache key.", nameof(config)));
        }

        json.WriteNumber("max_tokens", config.MaxTokens);
        if (config.FitMaxTokensToContext)
        {
            // A fitted max_tokens answers a prompt too long for it with a shorter answer, where the same value sent by
            // the client is a 400: the two must not share an entry. Written only when set, so other keys stay as they were.
            json.WriteBoolean("max_tokens_fit_to_context", true);
        }

        json.WriteNumber("min_tokens", config.MinTokens);
        if (config.FitMinTokensToContext && config.MinTokens > 0)
        {
            // Likewise a fitted min_tokens over a long prompt is lowered where the client's own is a 400. A floor of 0
            // has nothing to lower, so only a positive one is marked: keys without a floor stay as they were.
            json.WriteBoolean("min_tokens_fit_to_context", true);
        }

        WriteDouble(json, "repetition_penalty", config.RepetitionPenalty);
        json.WriteNumber("no_repeat_ngram_size", config.NoRepeatNgramSize);
        json.WriteStartArray("stop");
        foreach (var stop in config.Stop)
        {
            json.WriteStringValue(stop);
        }

        json.WriteEndArray();
        json.WriteBoolean("logprobs", config.Logprobs);
        json.WriteNumber("top_logprobs", config.Logprobs ? config.TopLogprobs : 0);
        if (config.Guidance is { } guidance)
        {
            json.WriteString("guidance_type", guidance.Type);
            json.WriteString("guidance", guidance.Data);
        }

        json.WriteEndObject();
    }

    // Round-trip formatting: 0.7 and 0.70 are the same double and give the same text.
    private static void WriteDouble(Utf8JsonWriter json, string name, double value) =>
        json.WriteString(name, value.ToString("R", CultureInfo.InvariantCulture));
}
