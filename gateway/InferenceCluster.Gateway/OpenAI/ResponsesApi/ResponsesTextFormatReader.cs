using System.Text.Json;
using InferenceCluster.Contracts;

namespace InferenceCluster.Gateway.OpenAI.ResponsesApi;

/// <summary>
/// Reads <c>text.format</c>, the Responses spelling of chat's <c>response_format</c> (the schema's name and
/// schema sit on the format itself): <c>json_schema</c> and <c>json_object</c> become guided decoding.
/// </summary>
internal static class ResponsesTextFormatReader
{
    public static (GenerationGuidance? Guidance, ResponseTextFormat Format) Read(JsonElement? text)
    {
        if (text is not { } element || element.ValueKind == JsonValueKind.Null)
        {
            return (null, ResponseTextFormat.Text);
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            throw OpenAIException.InvalidType("text", "an object");
        }

        foreach (var member in element.EnumerateObject().Where(member => member.Value.ValueKind != JsonValueKind.Null))
        {
            if (member.Name == "verbosity")
            {
                VerbosityRule.Validate(member.Value, "text.verbosity");
            }

            if (member.Name != "format")
            {
                throw OpenAIException.UnknownParameter("text." + member.Name);
            }
        }

        return element.TryGetProperty("format", out var format) && format.ValueKind != JsonValueKind.Null
            ? ReadFormat(format)
            : (null, ResponseTextFormat.Text);
    }

    private static (GenerationGuidance?, ResponseTextFormat) ReadFormat(JsonElement format)
    {
        if (format.ValueKind != JsonValueKind.Object)
        {
            throw OpenAIException.InvalidType("text.format", "an object");
        }

        var type = TypeMember.Read(format, "text.format.type");
        switch (type)
        {
            case "text":
                KnownMembers.Only(format, "text.format", "type");
                return (null, ResponseTextFormat.Text);
            case "json_object":
                KnownMembers.Only(format, "text.format", "type");
                return (CompactJsonGuidance.AnyObject, new ResponseTextFormat("json_object"));
            case "json_schema":
                KnownMembers.Only(format, "text.format", "type", "name", "schema", "description", "strict");
                return ReadSchema(format);
            default:
                throw OpenAIException.InvalidValue(
                    "text.format.type", $"'text.format.type' is '{QuotedText.Of(type)}'; supported types are 'text', 'json_object' and 'json_schema'.");
        }
    }

    private static (GenerationGuidance?, ResponseTextFormat) ReadSchema(JsonElement format)
    {
        var name = JsonSchemaFormatMembers.Read(format, "text.format.");

        if (!format.TryGetProperty("schema", out var schema) || schema.ValueKind == JsonValueKind.Null)
        {
            throw OpenAIException.Missing("text.format.schema");
        }

        if (schema.ValueKind != JsonValueKind.Object)
        {
            throw OpenAIException.InvalidType("text.format.schema", "a JSON Schema object");
        }

        bool? strict = format.TryGetProperty("strict", out var strictElement) && strictElement.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? strictElement.GetBoolean()
            : null;
        return (CompactJsonGuidance.For(schema, "text.format.schema"), new ResponseTextFormat("json_schema", name, schema.Clone(), strict));
    }
}
