using System.Text.Json;
using InferenceCluster.Contracts;

namespace InferenceCluster.Gateway.OpenAI;

/// <summary>
/// Reads <c>response_format</c>: <c>text</c> is free text; <c>json_schema</c> and <c>json_object</c> become
/// guided decoding (GenAI guidance with a JSON schema, compact JSON: <see cref="CompactJsonGuidance"/>), which the worker honours or rejects naming the parameter.
/// </summary>
internal static class ResponseFormatReader
{
    public static GenerationGuidance? Read(JsonElement? responseFormat)
    {
        if (responseFormat is not { } format || format.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (format.ValueKind != JsonValueKind.Object)
        {
            throw OpenAIException.InvalidType("response_format", "an object");
        }

        var type = TypeMember.Read(format, "response_format.type");
        switch (type)
        {
            case "text":
                KnownMembers.Only(format, "response_format", "type");
                return null;

            case "json_object":
                KnownMembers.Only(format, "response_format", "type");
                return CompactJsonGuidance.AnyObject;

            case "json_schema":
                KnownMembers.Only(format, "response_format", "type", "json_schema");
                return ReadSchema(format);

            default:
                throw OpenAIException.InvalidValue(
                    "response_format.type", $"'response_format.type' is '{QuotedText.Of(type)}'; supported types are 'text', 'json_object' and 'json_schema'.");
        }
    }

    private static GenerationGuidance ReadSchema(JsonElement format)
    {
        if (!format.TryGetProperty("json_schema", out var spec) || spec.ValueKind == JsonValueKind.Null)
        {
            throw OpenAIException.Missing("response_format.json_schema");
        }

        if (spec.ValueKind != JsonValueKind.Object)
        {
            throw OpenAIException.InvalidType("response_format.json_schema", "an object");
        }

        KnownMembers.Only(spec, "response_format.json_schema", "name", "description", "schema", "strict");

        JsonSchemaFormatMembers.Read(spec, "response_format.json_schema.");
        if (!spec.TryGetProperty("schema", out var schema) || schema.ValueKind == JsonValueKind.Null)
        {
            // OpenAI allows a schema-less json_schema: any JSON object.
            return CompactJsonGuidance.AnyObject;
        }

        return schema.ValueKind == JsonValueKind.Object
            ? CompactJsonGuidance.For(schema, "response_format.json_schema.schema")
            : throw OpenAIException.InvalidType("response_format.json_schema.schema", "a JSON Schema object");
    }
}
