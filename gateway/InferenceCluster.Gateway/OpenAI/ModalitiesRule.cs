using System.Text.Json;

namespace InferenceCluster.Gateway.OpenAI;

/// <summary>
/// Chat's <c>modalities</c>: the models here write text and nothing else, so <c>["text"]</c> asks for what every answer
/// is and is honoured; any other output type OpenAI names (<c>"audio"</c>) is a 400 naming the parameter.
/// </summary>
internal static class ModalitiesRule
{
    public static void Validate(JsonElement? modalities)
    {
        if (modalities is not { ValueKind: not JsonValueKind.Null } list)
        {
            return;
        }

        if (list.ValueKind != JsonValueKind.Array)
        {
            throw OpenAIException.InvalidType("modalities", "an array of strings");
        }

        if (list.GetArrayLength() == 0)
        {
            throw OpenAIException.InvalidValue("modalities", "'modalities' must name at least one output type; this server writes 'text'.");
        }

        var index = 0;
        foreach (var item in list.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                throw OpenAIException.InvalidType($"modalities[{index}]", "a string");
            }

            if (item.GetString() != "text")
            {
                throw OpenAIException.Unsupported(
                    "modalities", $"'modalities' may only be [\"text\"]: this server writes text alone, not '{QuotedText.Of(item.GetString()!)}'.");
            }

            index++;
        }
    }
}
