using System.Text.Json;

namespace InferenceCluster.Gateway.OpenAI;

/// <summary>
/// Validates a <c>POST /v1/completions</c> body. The sampling members go through the chat validator's
/// rules, so both endpoints accept and reject exactly the same values with the same messages.
/// </summary>
internal static class CompletionRequestValidator
{
    // Chat spells logprobs as a boolean; a client that sends chat's spelling here must learn the legacy one.
    private static readonly Dictionary<string, string> Hints = new(StringComparer.Ordinal)
    {
        ["logprobs"] = $"an integer between 0 and {ChatRequestValidator.MaxTopLogprobs} (how many alternatives to return per token)",
    };

    public static CompletionRequest Read(ReadOnlyMemory<byte> body)
    {
        try
        {
            return JsonSerializer.Deserialize(body.Span, OpenAIJsonContext.Wire.CompletionRequest)
                ?? throw OpenAIException.InvalidJson("expected a JSON object, found null.");
        }
        catch (JsonException ex)
        {
            throw WireTypeError.For(OpenAIJsonContext.Wire.CompletionRequest, ex, Hints);
        }
    }

    public static ValidatedCompletionRequest Validate(CompletionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ChatRequestValidator.RejectUnknown(request.AdditionalProperties, prefix: null);
        if (string.IsNullOrWhiteSpace(request.Model))
        {
            throw OpenAIException.Missing("model");
        }

        var prompts = ValidatePrompt(request.Prompt);
        if (request.Echo == true)
        {
            throw OpenAIException.Unsupported("echo", "'echo' is not supported; the prompt is not repeated in the output.");
        }

        if (request.Suffix is not null)
        {
            throw OpenAIException.Unsupported("suffix", "'suffix' (fill-in-the-middle) is not supported.");
        }

        if (request.BestOf is { } bestOf && bestOf != 1)
        {
            throw OpenAIException.Unsupported("best_of", "'best_of' is not supported; use 'n' for several independent choices.");
        }

        if (request.Logprobs is { } logprobs && logprobs is < 0 or > ChatRequestValidator.MaxTopLogprobs)
        {
            throw OpenAIException.InvalidValue("logprobs", $"'logprobs' must be between 0 and {ChatRequestValidator.MaxTopLogprobs}; got {logprobs}.");
        }

        var (stream, includeUsage) = ChatRequestValidator.ValidateStream(request);
        ChatRequestValidator.RejectUnimplemented(request);

        return new ValidatedCompletionRequest
        {
            Model = request.Model,
            Prompts = prompts,
            Stream = stream,
            IncludeUsage = includeUsage,
            User = request.User,
            N = ChatRequestValidator.ValidateN(request.N),
            // The legacy integer logprobs asks for that many alternatives: chat's logprobs with top_logprobs.
            Sampling = ChatRequestValidator.ValidateSampling(request, maxCompletionTokens: null, request.Logprobs is not null, request.Logprobs),
        };
    }

    private static List<string> ValidatePrompt(JsonElement? prompt)
    {
        if (prompt is not { } element || element.ValueKind == JsonValueKind.Null)
        {
            throw OpenAIException.Missing("prompt");
        }

        if (element.ValueKind == JsonValueKind.String)
        {
            return [NotEmpty(element.GetString()!, "prompt")];
        }

        if (element.ValueKind != JsonValueKind.Array)
        {
            throw OpenAIException.InvalidType("prompt", "a string or an array of strings");
        }

        var prompts = new List<string>();
        var index = 0;
        foreach (var item in element.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                // Token-id prompts would bypass the model's tokenizer choice; only text is taken.
                throw OpenAIException.Unsupported($"prompt[{index}]", $"'prompt[{index}]' must be a string; token-id prompts are not supported.");
            }

            prompts.Add(NotEmpty(item.GetString()!, $"prompt[{index}]"));
            index++;
        }

        return prompts.Count == 0
            ? throw OpenAIException.InvalidValue("prompt", "'prompt' must contain at least one string.")
            : prompts;
    }

    private static string NotEmpty(string text, string param) =>
        text.Length == 0 ? throw OpenAIException.InvalidValue(param, $"'{param}' must not be empty.") : text;
}
