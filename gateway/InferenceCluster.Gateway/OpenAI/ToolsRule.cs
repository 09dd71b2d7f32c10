using System.Text.Json;

namespace InferenceCluster.Gateway.OpenAI;

/// <summary>
/// The tool members of <c>/v1/chat/completions</c> and <c>/v1/responses</c>, one rule for both. No tools run here, so
/// what only says "no tools" is honoured as it stands: <c>tools</c> empty, <c>tool_choice</c> <c>"none"</c> or
/// <c>"auto"</c> (with no tools the model calls none either way, as OpenAI's Responses API answers them), and
/// <c>parallel_tool_calls</c> either way. Anything that asks for a tool call is a 400 naming it: a well-formed request
/// for one <c>unsupported_parameter</c>, a malformed one as OpenAI answers it (<c>invalid_type</c>, <c>invalid_value</c>).
/// </summary>
internal static class ToolsRule
{
    /// <summary>OpenAI's default <c>tool_choice</c>, echoed by a response whose request set none.</summary>
    public const string DefaultToolChoice = "auto";

    /// <summary>Checks the members and returns the <c>tool_choice</c> in force: the one sent, else <see cref="DefaultToolChoice"/>.</summary>
    public static string Validate(JsonElement? tools, JsonElement? toolChoice)
    {
        if (tools is { ValueKind: not (JsonValueKind.Null or JsonValueKind.Array) })
        {
            throw OpenAIException.InvalidType("tools", "an array");
        }

        if (tools is { ValueKind: JsonValueKind.Array } list && list.GetArrayLength() > 0)
        {
            // A tool is an object whatever its type; one that is not is a malformed list, not a tool asked for.
            throw OpenAIException.FirstItemNotOf(list, JsonValueKind.Object, "tools", "an object")
                ?? OpenAIException.Unsupported("tools", "Tools are not supported on this server; 'tools' may only be empty.");
        }

        return toolChoice switch
        {
            null or { ValueKind: JsonValueKind.Null } => DefaultToolChoice,
            { ValueKind: JsonValueKind.String } named when named.GetString() is "none" or "auto" => named.GetString()!,
            { ValueKind: JsonValueKind.String } named when named.GetString() is not "required" => throw OpenAIException.InvalidEnum(
                "tool_choice", named.GetString()!, ["none", "auto", "required"], "or an object naming a tool"),
            { ValueKind: JsonValueKind.String or JsonValueKind.Object } => throw OpenAIException.Unsupported(
                "tool_choice", "Tools are not supported on this server; 'tool_choice' may only be 'none' or 'auto'."),
            _ => throw OpenAIException.InvalidType("tool_choice", "a string or an object"),
        };
    }
}
