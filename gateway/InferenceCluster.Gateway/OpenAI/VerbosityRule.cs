using System.Text.Json;

namespace InferenceCluster.Gateway.OpenAI;

/// <summary>
/// Chat's <c>verbosity</c> and the Responses API's <c>text.verbosity</c>, one rule: OpenAI's models take
/// <c>"low"</c>, <c>"medium"</c> or <c>"high"</c> as how long and detailed an answer should be, a setting they were
/// trained to follow. The models here have no such control (R1 answers at the one length it was trained to), so any
/// level, <c>"medium"</c> included, would be accepted and change nothing: a 400 naming the parameter.
/// </summary>
internal static class VerbosityRule
{
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

        throw OpenAIException.Unsupported(
            param, $"'{param}' cannot be honoured: the model has no control over how verbose its answers are; leave it out ('max_tokens' bounds the length).");
    }
}
