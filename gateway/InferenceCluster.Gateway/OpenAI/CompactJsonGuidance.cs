using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using InferenceCluster.Contracts;

namespace InferenceCluster.Gateway.OpenAI;

/// <summary>
/// The guidance for a JSON answer (<c>json_object</c>, <c>json_schema</c>): compact JSON. Left to its default, the
/// engine's grammar (llguidance) takes any whitespace between tokens, and a model can spend its whole token limit on
/// it; the SDKs' parse helpers then throw on the cut answer. A schema's own <c>x-guidance</c> options are kept, and
/// compact is added to them unless they choose the whitespace themselves.
/// </summary>
internal static class CompactJsonGuidance
{
    private const string OptionsName = "x-guidance";
    private const string NotFlexible = "\"whitespace_flexible\":false";
    private const string Compact = "\"" + OptionsName + "\":{" + NotFlexible + "}";

    // Values are copied as sent; only names are written again, and left readable.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Any JSON object.</summary>
    public static GenerationGuidance AnyObject { get; } = new("json_schema", "{" + Compact + ",\"type\":\"object\"}");

    /// <summary>
    /// JSON following <paramref name="schema"/>, a JSON Schema object sent as <paramref name="param"/>; an
    /// <c>x-guidance</c> in it that is not an object is a 400 naming it (the engine would refuse it later, and vaguer).
    /// </summary>
    public static GenerationGuidance For(JsonElement schema, string param)
    {
        if (!schema.TryGetProperty(OptionsName, out _))
        {
            return new("json_schema", WithFirstMember(schema.GetRawText(), Compact));
        }

        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            foreach (var member in schema.EnumerateObject())
            {
                json.WritePropertyName(member.Name);
                json.WriteRawValue(
                    member.NameEquals(OptionsName) ? CompactOptions(member.Value, param + "." + OptionsName) : member.Value.GetRawText(),
                    skipInputValidation: true);
            }

            json.WriteEndObject();
        }

        return new("json_schema", Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    private static string CompactOptions(JsonElement options, string param)
    {
        if (options.ValueKind != JsonValueKind.Object)
        {
            throw OpenAIException.InvalidType(param, "an object");
        }

        return options.TryGetProperty("whitespace_flexible", out _) || options.TryGetProperty("whitespace_pattern", out _)
            ? options.GetRawText()
            : WithFirstMember(options.GetRawText(), NotFlexible);
    }

    private static string WithFirstMember(string objectText, string member)
    {
        var rest = objectText[1..].TrimStart();
        return "{" + member + (rest.StartsWith('}') ? string.Empty : ",") + rest;
    }
}
