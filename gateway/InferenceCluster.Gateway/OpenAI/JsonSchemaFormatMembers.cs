using System.Text.Json;

namespace InferenceCluster.Gateway.OpenAI;

/// <summary>
/// The members a JSON schema format carries besides its schema, read alike for chat's
/// <c>response_format.json_schema</c> and the Responses API's <c>text.format</c>: <c>name</c> as OpenAI allows it,
/// and the types of <c>strict</c> and <c>description</c>, which never change the output here (guided decoding follows
/// the schema whether strict or not) but are not taken with a wrong type either.
/// </summary>
internal static class JsonSchemaFormatMembers
{
    private const int MaxNameLength = 64;

    /// <summary>Checks the members of <paramref name="format"/> (param prefix <paramref name="prefix"/>) and returns its name.</summary>
    public static string Read(JsonElement format, string prefix)
    {
        var name = ReadName(format, prefix + "name");
        ExpectKind(format, "strict", prefix, "a boolean", JsonValueKind.True, JsonValueKind.False);
        ExpectKind(format, "description", prefix, "a string", JsonValueKind.String);
        return name;
    }

    private static string ReadName(JsonElement format, string param)
    {
        if (!format.TryGetProperty("name", out var element) || element.ValueKind == JsonValueKind.Null)
        {
            throw OpenAIException.Missing(param);
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            throw OpenAIException.InvalidType(param, "a string");
        }

        var name = element.GetString()!;
        if (name.Length == 0)
        {
            throw OpenAIException.Missing(param);
        }

        return name.Length <= MaxNameLength && name.All(IsNameChar)
            ? name
            : throw OpenAIException.InvalidValue(
                param, $"'{param}' is '{QuotedText.Of(name)}'; it may hold only letters a-z and A-Z, digits, underscores and dashes, at most {MaxNameLength} characters.");
    }

    private static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-';

    private static void ExpectKind(JsonElement format, string member, string prefix, string expected, params JsonValueKind[] kinds)
    {
        if (format.TryGetProperty(member, out var value) && value.ValueKind != JsonValueKind.Null && !kinds.Contains(value.ValueKind))
        {
            throw OpenAIException.InvalidType(prefix + member, expected);
        }
    }
}
