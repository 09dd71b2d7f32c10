using System.Text.Json;

namespace InferenceCluster.Gateway.OpenAI;

/// <summary>
/// The single gate between the raw wire request and the rest of the gateway. Every rule names the
/// parameter it concerns; parameters the gateway cannot honour are rejected, never ignored.
/// </summary>
internal static partial class ChatRequestValidator
{
    public const int MaxStopSequences = 4;
    public const int MaxTopLogprobs = 20;

    public static ValidatedChatRequest Validate(ChatCompletionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        RejectUnknown(request.AdditionalProperties, prefix: null);

        if (string.IsNullOrWhiteSpace(request.Model))
        {
            throw OpenAIException.Missing("model");
        }

        var messages = ValidateMessages(request.Messages);
        RejectUnimplemented(request);
        var (stream, includeUsage) = ValidateStream(request);

        return new ValidatedChatRequest
        {
            Model = request.Model,
            Messages = messages,
            Stream = stream,
            IncludeUsage = includeUsage,
            User = request.User,
            N = ValidateN(request.N),
            Guidance = ResponseFormatReader.Read(request.ResponseFormat),
            Sampling = ValidateSampling(request, request.MaxCompletionTokens, request.Logprobs ?? false, request.TopLogprobs),
        };
    }

    /// <summary>Whether to stream, and whether the stream ends with a usage chunk.</summary>
    internal static (bool Stream, bool IncludeUsage) ValidateStream(SamplingWireRequest request)
    {
        var stream = request.Stream ?? false;
        if (request.StreamOptions is not { } options)
        {
            return (stream, false);
        }

        if (!stream)
        {
            throw OpenAIException.InvalidValue("stream_options", "'stream_options' is only allowed when 'stream' is true.");
        }

        RejectUnknown(options.AdditionalProperties, prefix: "stream_options.");
        return (stream, options.IncludeUsage ?? false);
    }

    /// <summary>
    /// The sampling rules of both endpoints. <paramref name="maxCompletionTokens"/> is chat's newer name for
    /// max_tokens; <paramref name="logprobs"/> and <paramref name="topLogprobs"/> are as chat spells them.
    /// </summary>
    internal static SamplingRequest ValidateSampling(SamplingWireRequest request, int? maxCompletionTokens, bool logprobs, int? topLogprobs)
    {
        if (request.Temperature is { } temperature && (double.IsNaN(temperature) || temperature is < 0 or > 2))
        {
            throw OpenAIException.InvalidValue("temperature", $"'temperature' must be between 0 and 2; got {temperature}.");
        }

        if (request.TopP is { } topP && (double.IsNaN(topP) || topP is <= 0 or > 1))
        {
            throw OpenAIException.InvalidValue("top_p", $"'top_p' must be greater than 0 and at most 1; got {topP}.");
        }

        if (request.TopK is < 0)
        {
            throw OpenAIException.InvalidValue("top_k", $"'top_k' must be 0 (no limit) or positive; got {request.TopK}.");
        }

        if (request.MaxTokens is not null && maxCompletionTokens is not null && request.MaxTokens != maxCompletionTokens)
        {
            throw OpenAIException.InvalidValue("max_completion_tokens", "Set either 'max_tokens' or 'max_completion_tokens', not both with different values.");
        }

        var maxTokensParam = maxCompletionTokens is not null ? "max_completion_tokens" : "max_tokens";
        var maxTokens = maxCompletionTokens ?? request.MaxTokens;
        if (maxTokens is < 1)
        {
            throw OpenAIException.InvalidValue(maxTokensParam, $"'{maxTokensParam}' must be at least 1; got {maxTokens}.");
        }

        if (request.MinTokens is < 0)
        {
            throw OpenAIException.InvalidValue("min_tokens", $"'min_tokens' must be 0 or positive; got {request.MinTokens}.");
        }

        if (request.MinTokens is { } minTokens && maxTokens is { } max && minTokens > max)
        {
            throw OpenAIException.InvalidValue("min_tokens", $"'min_tokens' ({minTokens}) must not exceed '{maxTokensParam}' ({max}).");
        }

        if (request.RepetitionPenalty is { } penalty && (double.IsNaN(penalty) || penalty is <= 0 or > 2))
        {
            throw OpenAIException.InvalidValue("repetition_penalty", $"'repetition_penalty' must be greater than 0 and at most 2; got {penalty}.");
        }

        if (topLogprobs is { } top)
        {
            if (top is < 0 or > MaxTopLogprobs)
            {
                throw OpenAIException.InvalidValue("top_logprobs", $"'top_logprobs' must be between 0 and {MaxTopLogprobs}; got {top}.");
            }

            if (!logprobs)
            {
                throw OpenAIException.InvalidValue("top_logprobs", "'top_logprobs' requires 'logprobs' to be true.");
            }
        }

        return new SamplingRequest
        {
            Temperature = request.Temperature,
            TopP = request.TopP,
            TopK = request.TopK,
            MaxTokens = maxTokens,
            MinTokens = request.MinTokens,
            RepetitionPenalty = request.RepetitionPenalty,
            Seed = request.Seed,
            Stop = ValidateStop(request.Stop),
            Logprobs = logprobs,
            TopLogprobs = topLogprobs ?? 0,
        };
    }

    private static IReadOnlyList<string> ValidateStop(JsonElement? stop)
    {
        if (stop is not { } element || element.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (element.ValueKind == JsonValueKind.String)
        {
            var single = element.GetString()!;
            return single.Length == 0
                ? throw OpenAIException.InvalidValue("stop", "'stop' must not be an empty string.")
                : [single];
        }

        if (element.ValueKind != JsonValueKind.Array)
        {
            throw OpenAIException.InvalidType("stop", "a string or an array of strings");
        }

        if (element.GetArrayLength() > MaxStopSequences)
        {
            throw OpenAIException.InvalidValue("stop", $"'stop' may hold at most {MaxStopSequences} sequences; got {element.GetArrayLength()}.");
        }

        var stops = new List<string>();
        var index = 0;
        foreach (var item in element.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                throw OpenAIException.InvalidType($"stop[{index}]", "a string");
            }

            var text = item.GetString()!;
            if (text.Length == 0)
            {
                throw OpenAIException.InvalidValue($"stop[{index}]", $"'stop[{index}]' must not be an empty string.");
            }

            stops.Add(text);
            index++;
        }

        return stops;
    }

    /// <summary>How many choices to generate; the upper bound (<c>Gateway:MaxChoices</c>) is checked by the handler.</summary>
    internal static int ValidateN(int? n) =>
        n is < 1 ? throw OpenAIException.InvalidValue("n", $"'n' must be at least 1; got {n}.") : n ?? 1;

    internal static void RejectUnimplemented(SamplingWireRequest request)
    {
        if (request.PresencePenalty is { } presence && presence != 0)
        {
            throw OpenAIException.Unsupported("presence_penalty", "'presence_penalty' is not supported; use 'repetition_penalty' instead.");
        }

        if (request.FrequencyPenalty is { } frequency && frequency != 0)
        {
            throw OpenAIException.Unsupported("frequency_penalty", "'frequency_penalty' is not supported; use 'repetition_penalty' instead.");
        }
    }

    internal static void RejectUnknown(Dictionary<string, JsonElement>? additional, string? prefix)
    {
        // An explicit null sets nothing, so it is not a parameter being ignored. The first name in
        // ordinal order is reported, so the same request always gets the same error.
        var first = additional?
            .Where(pair => pair.Value.ValueKind != JsonValueKind.Null)
            .Select(pair => pair.Key)
            .Order(StringComparer.Ordinal)
            .FirstOrDefault();
        if (first is not null)
        {
            throw OpenAIException.UnknownParameter(prefix + first);
        }
    }
}
