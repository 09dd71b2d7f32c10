using System.Text.Json;
using InferenceCluster.Contracts;

namespace InferenceCluster.Gateway.OpenAI;

/// <summary>
/// Validates a <c>POST /v1/completions</c> body: the prompt and the legacy members here, the members shared
/// with chat through <see cref="SamplingWireValidator"/>, so both endpoints treat them alike.
/// </summary>
internal static class CompletionRequestValidator
{
    // Chat spells logprobs as a boolean; a client that sends chat's spelling here must learn the legacy one.
    public static IReadOnlyDictionary<string, string> Hints { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["logprobs"] = $"an integer between 0 and {SamplingRules.MaxTopLogprobs} (how many alternatives to return per token)",
    };

    public static ValidatedRequest Validate(CompletionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        SamplingWireValidator.RejectUnknown(request.AdditionalProperties, prefix: null);
        SamplingWireValidator.RequireModel(request);
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

        SamplingWireValidator.Throw(SamplingRules.TopLogprobs, request.Logprobs, "logprobs");

        // The legacy integer logprobs asks for that many alternatives: chat's logprobs with top_logprobs.
        return SamplingWireValidator.Validate(request, maxCompletionTokens: null, request.Logprobs is not null, request.Logprobs) with
        {
            Prompts = prompts,
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
