using System.Text.Json;

namespace InferenceCluster.Gateway.OpenAI;

/// <summary>
/// Reads a text completion request's <c>prompt</c>: a string or a non-empty array of strings. An empty string is a
/// prompt, as OpenAI takes it: the model generates from the start of its template.
/// </summary>
internal static class PromptReader
{
    public static List<string> Read(JsonElement? prompt)
    {
        if (prompt is not { } element || element.ValueKind == JsonValueKind.Null)
        {
            throw OpenAIException.Missing("prompt");
        }

        if (element.ValueKind == JsonValueKind.String)
        {
            return [ModelTextRule.Check(element.GetString()!, "prompt")];
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

            prompts.Add(ModelTextRule.Check(item.GetString()!, $"prompt[{index}]"));
            index++;
        }

        return prompts.Count == 0
            ? throw OpenAIException.InvalidValue("prompt", "'prompt' must contain at least one string.")
            : prompts;
    }
}
