using System.Text;
using System.Text.Json;
using InferenceCluster.Contracts;

namespace InferenceCluster.Gateway.OpenAI;

/// <summary>Reads a chat request's <c>messages</c>: roles, and content as a string or as text parts.</summary>
internal static class ChatMessagesReader
{
    /// <summary>The roles a message may have here, in chat and in the Responses API's input items alike.</summary>
    internal static readonly string[] Roles = ["system", "developer", "user", "assistant"];

    /// <summary>OpenAI's kinds of content part (refusal in an assistant's message).</summary>
    private static readonly string[] PartTypes = ["text", "image_url", "input_audio", "file", "refusal"];

    public static List<ChatMessage> Read(List<ChatMessageDto?>? messages)
    {
        if (messages is null)
        {
            throw OpenAIException.Missing("messages");
        }

        if (messages.Count == 0)
        {
            throw OpenAIException.InvalidValue("messages", "'messages' must contain at least one message.");
        }

        var result = new List<ChatMessage>(messages.Count);
        for (var i = 0; i < messages.Count; i++)
        {
            var param = $"messages[{i}]";
            var message = messages[i] ?? throw OpenAIException.InvalidType(param, "an object");
            RequestValidator.RejectUnknown(message.AdditionalProperties, prefix: param + ".");
            if (string.IsNullOrEmpty(message.Role))
            {
                throw OpenAIException.Missing(param + ".role");
            }

            if (message.Role is "tool" or "function")
            {
                // OpenAI's roles for a tool's result; this server calls no tools (`tools` is refused), so none can be read.
                throw OpenAIException.Unsupported(
                    param + ".role", $"'{param}.role' is '{message.Role}': this server calls no tools, so it reads no tool results.");
            }

            if (!Roles.Contains(message.Role, StringComparer.Ordinal))
            {
                throw OpenAIException.InvalidEnum(param + ".role", message.Role, Roles);
            }

            ValidateReasoningContent(message, param);

            // OpenAI's newer name for the system role; chat templates know only 'system'.
            var role = message.Role == "developer" ? "system" : message.Role;
            result.Add(new ChatMessage(role, ReadContent(message.Content, param + ".content")));
        }

        return result;
    }

    private static void ValidateReasoningContent(ChatMessageDto message, string param)
    {
        if (message.ReasoningContent is not { ValueKind: not JsonValueKind.Null } reasoning)
        {
            return;
        }

        if (message.Role != "assistant")
        {
            throw OpenAIException.UnknownParameter(param + ".reasoning_content");
        }

        if (reasoning.ValueKind != JsonValueKind.String)
        {
            throw OpenAIException.InvalidType(param + ".reasoning_content", "a string");
        }
    }

    private static string ReadContent(JsonElement? content, string param)
    {
        if (content is not { } element || element.ValueKind == JsonValueKind.Null)
        {
            throw OpenAIException.Missing(param);
        }

        if (element.ValueKind == JsonValueKind.String)
        {
            return ModelTextRule.Check(element.GetString()!, param);
        }

        if (element.ValueKind != JsonValueKind.Array)
        {
            throw OpenAIException.InvalidType(param, "a string or an array of text parts");
        }

        var text = new StringBuilder();
        var index = 0;
        foreach (var part in element.EnumerateArray())
        {
            text.Append(ReadTextPart(part, $"{param}[{index}]"));
            index++;
        }

        return index == 0
            ? throw OpenAIException.InvalidValue(param, $"'{param}' must contain at least one part.")
            : text.ToString();
    }

    private static string ReadTextPart(JsonElement part, string param)
    {
        if (part.ValueKind != JsonValueKind.Object)
        {
            throw OpenAIException.InvalidType(param, "an object");
        }

        // A part OpenAI knows (an image, audio, a file, an assistant's refusal) cannot be read here; any other type is a mistake.
        var type = TypeMember.Read(part, param + ".type");
        if (type != "text")
        {
            throw PartTypes.Contains(type, StringComparer.Ordinal)
                ? OpenAIException.Unsupported(param + ".type", $"'{param}' is '{QuotedText.Of(type)}'; only 'text' content parts are supported.")
                : OpenAIException.InvalidEnum(param + ".type", type, PartTypes);
        }

        KnownMembers.Only(part, param, "type", "text");

        return ModelTextRule.Check(RequiredString.Read(part, "text", param + ".text"), param + ".text");
    }
}
