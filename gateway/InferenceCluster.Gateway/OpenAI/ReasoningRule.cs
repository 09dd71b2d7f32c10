using System.Text.Json;

namespace InferenceCluster.Gateway.OpenAI;

/// <summary>
/// Chat's <c>reasoning_effort</c> and the Responses API's <c>reasoning</c>, one rule: the model reasons as it was trained,
/// with no control over its effort and no summary, so a value OpenAI takes is a 400 <c>unsupported_parameter</c> naming
/// the member; a value outside OpenAI's values is an <c>invalid_value</c>, as OpenAI answers it.
/// </summary>
internal static class ReasoningRule
{
    /// <summary>OpenAI's reasoning efforts.</summary>
    public static readonly string[] Efforts = ["none", "minimal", "low", "medium", "high", "xhigh"];

    /// <summary>OpenAI's kinds of reasoning summary (<c>summary</c>, and <c>generate_summary</c>, its older name).</summary>
    public static readonly string[] Summaries = ["auto", "concise", "detailed"];

    /// <summary>Chat's <c>reasoning_effort</c>.</summary>
    public static void ValidateEffort(JsonElement? effort)
    {
        if (effort is { ValueKind: not JsonValueKind.Null } value)
        {
            throw Refusal(value, "reasoning_effort", Efforts, "'reasoning_effort' cannot be honoured: the model's reasoning is not tunable.");
        }
    }

    /// <summary>The Responses API's <c>reasoning</c> object: each member set is refused; none set (or <c>{}</c>) is honoured.</summary>
    public static void Validate(JsonElement? reasoning)
    {
        if (reasoning is not { ValueKind: not JsonValueKind.Null } value)
        {
            return;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            throw OpenAIException.InvalidType("reasoning", "an object");
        }

        foreach (var member in value.EnumerateObject().Where(member => member.Value.ValueKind != JsonValueKind.Null))
        {
            var param = "reasoning." + member.Name;
            throw member.Name switch
            {
                "effort" or "summary" or "generate_summary" => Refusal(
                    member.Value, param, member.Name == "effort" ? Efforts : Summaries,
                    $"'{param}' cannot be honoured: the model's reasoning is neither tunable nor summarised."),
                _ => OpenAIException.UnknownParameter(param),
            };
        }
    }

    private static OpenAIException Refusal(JsonElement value, string param, string[] values, string unsupported)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            return OpenAIException.InvalidType(param, "a string");
        }

        var name = value.GetString()!;
        return values.Contains(name, StringComparer.Ordinal)
            ? OpenAIException.Unsupported(param, unsupported)
            : OpenAIException.InvalidEnum(param, name, values);
    }
}
