using System.Text;
using System.Text.Json;
using InferenceCluster.Contracts;

namespace InferenceCluster.Gateway.OpenAI.ResponsesApi;

/// <summary>
/// Reads <c>input</c>: a string is one user message; an array holds message items (roles as in chat,
/// content a string or text parts). Items a client sends back from an earlier response (with their ids and
/// statuses, reasoning items too) are taken, reasoning dropped as the R1 template drops it from history.
/// </summary>
internal static class ResponsesInputReader
{
    /// <summary>The statuses of an item sent back from an earlier response.</summary>
    private static readonly string[] Statuses = ["in_progress", "completed", "incomplete"];

    /// <summary>OpenAI's kinds of content part in a message item.</summary>
    private static readonly string[] PartTypes =
        ["input_text", "input_image", "input_file", "input_audio", "output_text", "refusal", "computer_screenshot", "summary_text"];

    public static List<ChatMessage> Read(JsonElement? input)
    {
        if (input is not { } element || element.ValueKind == JsonValueKind.Null)
        {
            throw OpenAIException.Missing("input");
        }

        if (element.ValueKind == JsonValueKind.String)
        {
            return [new ChatMessage("user", ModelTextRule.Check(element.GetString()!, "input"))];
        }

        if (element.ValueKind != JsonValueKind.Array)
        {
            throw OpenAIException.InvalidType("input", "a string or an array of input items");
        }

        var messages = new List<ChatMessage>();
        var index = 0;
        foreach (var item in element.EnumerateArray())
        {
            if (ReadItem(item, $"input[{index}]") is { } message)
            {
                messages.Add(message);
            }

            index++;
        }

        return messages.Count == 0
            ? throw OpenAIException.InvalidValue("input", "'input' must contain at least one message.")
            : messages;
    }

    private static ChatMessage? ReadItem(JsonElement item, string param)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            throw OpenAIException.InvalidType(param, "an object");
        }

        var type = item.TryGetProperty("type", out var typeElement) ? typeElement : default;
        if (type.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null or JsonValueKind.String))
        {
            throw OpenAIException.InvalidType(param + ".type", "a string");
        }

        switch (type.ValueKind == JsonValueKind.String ? type.GetString() : "message")
        {
            case "message":
                return ReadMessage(item, param);
            case "reasoning":
                KnownMembers.Only(item, param, "type", "id", "summary", "content", "encrypted_content", "status");
                CheckIdAndStatus(item, param);
                CheckDroppedParts(item, param, "summary", textPart: "summary_text");
                CheckDroppedParts(item, param, "content", textPart: "reasoning_text");
                if (item.TryGetProperty("encrypted_content", out var encrypted) && encrypted.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
                {
                    throw OpenAIException.InvalidType(param + ".encrypted_content", "a string");
                }

                return null;
            default:
                throw OpenAIException.Unsupported(
                    param + ".type", $"'{param}.type' is '{QuotedText.Of(type.GetString()!)}'; only 'message' items (and earlier 'reasoning' items, which are dropped) are supported.");
        }
    }

    private static ChatMessage ReadMessage(JsonElement item, string param)
    {
        KnownMembers.Only(item, param, "type", "role", "content", "id", "status");
        CheckIdAndStatus(item, param);
        var name = RequiredString.Read(item, "role", param + ".role");
        if (!ChatMessagesReader.Roles.Contains(name, StringComparer.Ordinal))
        {
            throw OpenAIException.InvalidEnum(param + ".role", name, ChatMessagesReader.Roles);
        }

        // 'developer' is the newer name of the system role; chat templates know only 'system'.
        return new ChatMessage(name == "developer" ? "system" : name, ReadContent(item, param + ".content"));
    }

    private static string ReadContent(JsonElement item, string param)
    {
        if (!item.TryGetProperty("content", out var content) || content.ValueKind == JsonValueKind.Null)
        {
            throw OpenAIException.Missing(param);
        }

        if (content.ValueKind == JsonValueKind.String)
        {
            return ModelTextRule.Check(content.GetString()!, param);
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            throw OpenAIException.InvalidType(param, "a string or an array of text parts");
        }

        var text = new StringBuilder();
        var index = 0;
        foreach (var part in content.EnumerateArray())
        {
            text.Append(ReadTextPart(part, $"{param}[{index}]"));
            index++;
        }

        return index == 0 ? throw OpenAIException.InvalidValue(param, $"'{param}' must contain at least one part.") : text.ToString();
    }

    private static string ReadTextPart(JsonElement part, string param)
    {
        if (part.ValueKind != JsonValueKind.Object)
        {
            throw OpenAIException.InvalidType(param, "an object");
        }

        var type = TypeMember.Read(part, param + ".type");
        switch (type)
        {
            case "input_text":
                KnownMembers.Only(part, param, "type", "text");
                break;
            case "output_text":
                // An earlier answer sent back as it came; its (empty) annotations and log-probabilities describe it, not this request.
                KnownMembers.Only(part, param, "type", "text", "annotations", "logprobs");
                CheckDroppedParts(part, param, "annotations");
                CheckDroppedParts(part, param, "logprobs");
                break;
            // A part OpenAI knows (an image, a file, audio, a refusal, a screenshot, a summary) cannot be read here; any other type is a mistake.
            case var known when PartTypes.Contains(known, StringComparer.Ordinal):
                throw OpenAIException.Unsupported(
                    param + ".type", $"'{param}.type' is '{QuotedText.Of(type)}'; only 'input_text' and 'output_text' parts are supported.");
            default:
                throw OpenAIException.InvalidEnum(param + ".type", type, PartTypes);
        }

        return ModelTextRule.Check(RequiredString.Read(part, "text", param + ".text"), param + ".text");
    }

    /// <summary>
    /// What is dropped (a reasoning item's summary and content, an earlier answer's annotations and log-probabilities) is
    /// still read as far as its shape, an array of objects (of <paramref name="textPart"/> parts, each a text, when set): a
    /// malformed one is a mistake to name, not a value to pass over.
    /// </summary>
    private static void CheckDroppedParts(JsonElement owner, string param, string member, string? textPart = null)
    {
        if (!owner.TryGetProperty(member, out var list) || list.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        if (list.ValueKind != JsonValueKind.Array)
        {
            throw OpenAIException.InvalidType($"{param}.{member}", "an array of objects");
        }

        if (OpenAIException.FirstItemNotOf(list, JsonValueKind.Object, $"{param}.{member}", "an object") is { } malformed)
        {
            throw malformed;
        }

        if (textPart is null)
        {
            return;
        }

        var index = 0;
        foreach (var part in list.EnumerateArray())
        {
            var at = $"{param}.{member}[{index++}]";
            KnownMembers.Only(part, at, "type", "text");
            if (TypeMember.Read(part, at + ".type") is var type && type != textPart)
            {
                throw OpenAIException.InvalidEnum(at + ".type", type, [textPart]);
            }

            RequiredString.Read(part, "text", at + ".text");
        }
    }

    /// <summary>An item sent back from an earlier response carries that response's id and status; anything else there is a mistake.</summary>
    private static void CheckIdAndStatus(JsonElement item, string param)
    {
        if (item.TryGetProperty("id", out var id) && id.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
        {
            throw OpenAIException.InvalidType(param + ".id", "a string");
        }

        if (!item.TryGetProperty("status", out var status) || status.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        if (status.ValueKind != JsonValueKind.String)
        {
            throw OpenAIException.InvalidType(param + ".status", "a string");
        }

        if (!Statuses.Contains(status.GetString(), StringComparer.Ordinal))
        {
            throw OpenAIException.InvalidEnum(param + ".status", status.GetString()!, Statuses);
        }
    }
}
