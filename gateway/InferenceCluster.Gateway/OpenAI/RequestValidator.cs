using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using InferenceCluster.Contracts;

namespace InferenceCluster.Gateway.OpenAI;

/// <summary>
/// The single gate between a request body and the rest of the gateway: reads the body as its operation's wire type
/// and validates it. The members the operations share (<see cref="SamplingWireRequest"/>) are validated here, once, so
/// that every operation accepts and rejects the same values with the same messages (the ranges are
/// <see cref="SamplingSettings.Violation"/>); each operation's own input is read by its reader (<see cref="ChatMessagesReader"/>,
/// <see cref="PromptReader"/>, the Responses API's validator). Every rule names the parameter it concerns; parameters
/// the gateway cannot honour are rejected, never ignored.
/// </summary>
internal static class RequestValidator
{
    public const int MaxStopSequences = 4;

    /// <summary>OpenAI's limit on <c>safety_identifier</c>.</summary>
    public const int MaxSafetyIdentifierLength = 64;

    // Chat spells logprobs as a boolean; a client that sends chat's spelling to /v1/completions must learn the legacy one.
    private static readonly Dictionary<string, string> TextCompletionHints = new(StringComparer.Ordinal)
    {
        ["logprobs"] = $"an integer between 0 and {SamplingSettings.MaxTopLogprobs} (how many alternatives to return per token)",
    };

    /// <summary>A <c>POST /v1/chat/completions</c> body, read and validated.</summary>
    public static ValidatedRequest Chat(JsonElement body)
    {
        var request = Read(body, OpenAIJsonContext.Wire.ChatCompletionRequest);
        RejectUnknown(request.AdditionalProperties, prefix: null);
        RequireModel(request);
        if (request.Store == true)
        {
            throw OpenAIException.Unsupported("store", "Chat completions are not stored on this server; set 'store' to false or leave it out.");
        }

        MetadataRule.Validate(request.Metadata);
        ToolsRule.Validate(request.Tools, request.ToolChoice);
        LogitBiasRule.Validate(request.LogitBias);
        ModalitiesRule.Validate(request.Modalities);
        VerbosityRule.Validate(request.Verbosity, "verbosity");
        ReasoningRule.ValidateEffort(request.ReasoningEffort);

        var messages = ChatMessagesReader.Read(request.Messages);
        return Validate(request, request.MaxCompletionTokens, request.Logprobs ?? false, request.TopLogprobs) with
        {
            Messages = messages,
            Guidance = ResponseFormatReader.Read(request.ResponseFormat),
        };
    }

    /// <summary>A <c>POST /v1/completions</c> body, read and validated: the prompt and the legacy members, then the shared ones.</summary>
    public static ValidatedRequest TextCompletion(JsonElement body)
    {
        var request = Read(body, OpenAIJsonContext.Wire.CompletionRequest, TextCompletionHints);
        RejectUnknown(request.AdditionalProperties, prefix: null);
        RequireModel(request);
        var prompts = PromptReader.Read(request.Prompt);
        LogitBiasRule.Validate(request.LogitBias);
        if (request.Echo == true)
        {
            throw OpenAIException.Unsupported("echo", "'echo' is not supported; the prompt is not repeated in the output.");
        }

        if (request.Suffix is not null)
        {
            throw OpenAIException.Unsupported("suffix", "'suffix' (fill-in-the-middle) is not supported.");
        }

        BestOfRule.Validate(request.BestOf, request.N);

        Throw(SamplingSettings.TopLogprobsParam, request.Logprobs, "logprobs");

        // The legacy integer logprobs asks for that many alternatives: chat's logprobs with top_logprobs.
        return Validate(request, maxCompletionTokens: null, request.Logprobs is not null, request.Logprobs, maxTokensParam: "max_tokens") with { Prompts = prompts };
    }

    /// <summary>The body as <typeparamref name="T"/>; <paramref name="hints"/> describe members whose plain type misleads.</summary>
    public static T Read<T>(JsonElement body, JsonTypeInfo<T> type, IReadOnlyDictionary<string, string>? hints = null)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(type);
        try
        {
            return body.Deserialize(type) ?? throw OpenAIException.InvalidJson("expected a JSON object at the top level.");
        }
        catch (JsonException ex)
        {
            throw WireTypeError.For(type, ex, hints);
        }
    }

    /// <summary>
    /// The shared members, validated. <paramref name="maxCompletionTokens"/> is chat's newer name for
    /// max_tokens (<paramref name="maxTokensParam"/> names it: the Responses API's is max_output_tokens);
    /// <paramref name="logprobs"/> and <paramref name="topLogprobs"/> are as chat spells them.
    /// </summary>
    public static ValidatedRequest Validate(
        SamplingWireRequest request, int? maxCompletionTokens, bool logprobs, int? topLogprobs, string maxTokensParam = "max_completion_tokens")
    {
        ArgumentNullException.ThrowIfNull(request);
        RejectUnimplemented(request);
        if (request.SafetyIdentifier is { } safetyIdentifier && CharacterCount.Of(safetyIdentifier) is var length && length > MaxSafetyIdentifierLength)
        {
            throw OpenAIException.InvalidValue(
                "safety_identifier", $"'safety_identifier' may be at most {MaxSafetyIdentifierLength} characters; got {length}.");
        }

        var (stream, includeUsage) = StreamOptionsRule.Validate(request.Stream, request.StreamOptions);
        var sampling = ValidateSampling(request, maxCompletionTokens, maxTokensParam);
        if (topLogprobs is { } top)
        {
            Throw(SamplingSettings.TopLogprobsParam, top);
            if (!logprobs)
            {
                throw OpenAIException.InvalidValue("top_logprobs", "'top_logprobs' requires 'logprobs' to be true.");
            }
        }

        return new ValidatedRequest
        {
            Model = request.Model!,
            Stream = stream,
            IncludeUsage = includeUsage,
            User = request.User,
            SafetyIdentifier = request.SafetyIdentifier,
            N = ValidateN(request.N),
            Sampling = sampling,
            MaxTokensParam = maxCompletionTokens is null && request.MaxTokens is not null ? "max_tokens" : maxTokensParam,
            Stop = ValidateStop(request.Stop),
            Logprobs = logprobs,
            TopLogprobs = topLogprobs ?? 0,
        };
    }

    public static void RequireModel(SamplingWireRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.Model))
        {
            throw OpenAIException.Missing("model");
        }
    }

    /// <summary>Throws the 400 for <paramref name="value"/> when it breaks the rule of <paramref name="param"/>, named as sent.</summary>
    public static void Throw(string rule, double? value, string? param = null)
    {
        param ??= rule;
        if (SamplingSettings.Check(rule, value, $"'{param}'") is { } message)
        {
            throw OpenAIException.InvalidValue(param, message);
        }
    }

    private static SamplingSettings ValidateSampling(SamplingWireRequest request, int? maxCompletionTokens, string newerMaxTokensParam)
    {
        Throw(SamplingSettings.TemperatureParam, request.Temperature);
        Throw(SamplingSettings.TopPParam, request.TopP);
        Throw(SamplingSettings.TopKParam, request.TopK);
        if (request.MaxTokens is not null && maxCompletionTokens is not null && request.MaxTokens != maxCompletionTokens)
        {
            throw OpenAIException.InvalidValue(newerMaxTokensParam, $"Set either 'max_tokens' or '{newerMaxTokensParam}', not both with different values.");
        }

        var maxTokensParam = maxCompletionTokens is not null ? newerMaxTokensParam : "max_tokens";
        var maxTokens = maxCompletionTokens ?? request.MaxTokens;
        Throw(SamplingSettings.MaxTokensParam, maxTokens, maxTokensParam);
        Throw(SamplingSettings.MinTokensParam, request.MinTokens);
        if (request.MinTokens is { } minTokens && maxTokens is { } max && minTokens > max)
        {
            throw OpenAIException.InvalidValue("min_tokens", $"'min_tokens' ({minTokens}) must not exceed '{maxTokensParam}' ({max}).");
        }

        Throw(SamplingSettings.RepetitionPenaltyParam, request.RepetitionPenalty);
        return new SamplingSettings
        {
            Temperature = request.Temperature,
            TopP = request.TopP,
            TopK = request.TopK,
            MaxTokens = maxTokens,
            MinTokens = request.MinTokens,
            RepetitionPenalty = request.RepetitionPenalty,
            Seed = request.Seed,
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
            var single = ModelTextRule.Check(element.GetString()!, "stop");
            return single.Length == 0
                ? throw OpenAIException.InvalidValue("stop", "'stop' must not be an empty string.")
                : WithinStopBytes([single]);
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

            var text = ModelTextRule.Check(item.GetString()!, $"stop[{index}]");
            if (text.Length == 0)
            {
                throw OpenAIException.InvalidValue($"stop[{index}]", $"'stop[{index}]' must not be an empty string.");
            }

            stops.Add(text);
            index++;
        }

        return WithinStopBytes(stops);
    }

    // Refused here, before the answer's headers echo the stops (X-Inference-Config): a header of hundreds of kilobytes
    // is more than HTTP clients read, and the 400 would reach the client as a broken response.
    private static List<string> WithinStopBytes(List<string> stops)
    {
        var bytes = SamplingSettings.StopBytes(stops);
        return bytes <= SamplingSettings.MaxStopBytes
            ? stops
            : throw OpenAIException.InvalidValue("stop", $"'stop' strings may hold at most {SamplingSettings.MaxStopBytes} bytes (UTF-8) together; got {bytes}.");
    }

    /// <summary>How many choices to generate; the upper bound (<c>Gateway:MaxChoices</c>) is checked by the handler.</summary>
    private static int ValidateN(int? n) =>
        n is < 1 ? throw OpenAIException.InvalidValue("n", $"'n' must be at least 1; got {n}.") : n ?? 1;

    private static void RejectUnimplemented(SamplingWireRequest request)
    {
        RejectPenalty("presence_penalty", request.PresencePenalty);
        RejectPenalty("frequency_penalty", request.FrequencyPenalty);
    }

    /// <summary>0 penalises nothing and is honoured; a value OpenAI takes (-2 to 2) is refused, one it does not is invalid.</summary>
    private static void RejectPenalty(string param, double? penalty)
    {
        if (penalty is not { } value || value == 0)
        {
            return;
        }

        throw value is >= -2 and <= 2
            ? OpenAIException.Unsupported(param, $"'{param}' is not supported; use 'repetition_penalty' instead.")
            : OpenAIException.OutOfRange(param, -2, 2, value);
    }

    public static void RejectUnknown(Dictionary<string, JsonElement>? additional, string? prefix)
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
