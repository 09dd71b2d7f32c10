using System.Text.Json;

namespace InferenceCluster.Gateway.OpenAI;

/// <summary>
/// Chat's <c>verbosity</c> and the Responses API's <c>text.verbosity</c>, one rule: OpenAI's models take
/// <c>"low"</c>, <c>"medium"</c> or <c>"high"</c> as how long and detailed an answer should be, a setting they were
/// trained to follow. The models here have no such control (R1 answers at the one length it was trained to), so any
/// level, <c>"medium"</c> included, would be accepted and change nothing: a 400 <c>unsupported_parameter</c> naming the
/// parameter; a level outside OpenAI's is an <c>invalid_value</c>, as OpenAI answers it.
/// </summary>
internal static class VerbosityRule
{
    private static readonly string[] Levels = ["low", "medium", "high"];

    public static void Validate(JsonElement? verbosity, string param)
    {
        if (verbosity is not { ValueKind: not JsonValueKind.Null } value)
        {
            return;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            throw OpenAIException.InvalidType(param, "a string");
        }

        if (!Levels.Contains(value.GetString(), StringComparer.Ordinal))
        {
            throw OpenAIException.InvalidEnum(param, value.GetString()!, Levels);
        }

        throw OpenAIException.Unsupported(
            param, $"'{param}' cannot be honoured: the model has no control over how verbose its answers are; leave it out ('max_tokens' bounds the length).");
    }
}
