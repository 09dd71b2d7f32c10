using System.Text.Json;

namespace InferenceCluster.Gateway.OpenAI;

/// <summary>
/// Chat's <c>modalities</c>: the models here write text and nothing else, so <c>["text"]</c> asks for what every answer
/// is and is honoured; the other output type OpenAI names (<c>"audio"</c>) is a 400 naming the parameter, and a name OpenAI
/// does not know an invalid value naming the item.
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

        if (OpenAIException.FirstItemNotOf(list, JsonValueKind.String, "modalities", "a string") is { } malformed)
        {
            throw malformed;
        }

        var index = 0;
        foreach (var item in list.EnumerateArray())
        {
            if (item.GetString() is not ("text" or "audio"))
            {
                throw OpenAIException.InvalidEnum($"modalities[{index}]", item.GetString()!, ["text", "audio"]);
            }

            index++;
        }

        // Well formed: what is not text (audio) cannot be written here.
        if (list.EnumerateArray().Any(item => item.GetString() != "text"))
        {
            throw OpenAIException.Unsupported("modalities", "'modalities' may only be [\"text\"]: this server writes text alone, not 'audio'.");
        }
    }
}
