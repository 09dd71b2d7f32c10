using System.Text.Json;
using InferenceCluster.Contracts;

namespace InferenceCluster.Gateway.OpenAI;

/// <summary>
/// The guidance for a JSON answer (<c>json_object</c>, <c>json_schema</c>): compact JSON. Left to its default, the
/// engine's grammar (llguidance) takes any whitespace between tokens, and a model can spend its whole token limit on
/// it; the SDKs' parse helpers then throw on the cut answer. A schema that carries its own <c>x-guidance</c> options
/// keeps them.
/// </summary>
internal static class CompactJsonGuidance
{
    private const string Compact = "\"x-guidance\":{\"whitespace_flexible\":false}";

    /// <summary>Any JSON object.</summary>
    public static GenerationGuidance AnyObject { get; } = new("json_schema", "{" + Compact + ",\"type\":\"object\"}");

    /// <summary>JSON following <paramref name="schema"/>, a JSON Schema object.</summary>
    public static GenerationGuidance For(JsonElement schema)
    {
        var text = schema.GetRawText();
        if (schema.TryGetProperty("x-guidance", out _))
        {
            return new("json_schema", text);
        }

        var rest = text[1..].TrimStart();
        return new("json_schema", "{" + Compact + (rest.StartsWith('}') ? string.Empty : ",") + rest);
    }
}
