using System.Text.Json;

namespace InferenceCluster.Gateway.OpenAI;

/// <summary>
/// The tool members of <c>/v1/chat/completions</c> and <c>/v1/responses</c>, one rule for both. No tools run here, so
/// what only says "no tools" is honoured as it stands: <c>tools</c> empty, <c>tool_choice</c> <c>"none"</c> or
/// <c>"auto"</c> (with no tools the model calls none either way, as OpenAI's Responses API answers them), and
/// <c>parallel_tool_calls</c> either way. Anything that asks for a tool call is a 400 naming it.
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
            throw OpenAIException.Unsupported("tools", "Tools are not supported on this server; 'tools' may only be empty.");
        }

        if (toolChoice is not { ValueKind: not JsonValueKind.Null } choice)
        {
            return DefaultToolChoice;
        }

        return choice.ValueKind == JsonValueKind.String && choice.GetString() is "none" or "auto"
            ? choice.GetString()!
            : throw OpenAIException.Unsupported("tool_choice", "Tools are not supported on this server; 'tool_choice' may only be 'none' or 'auto'.");
    }
}
