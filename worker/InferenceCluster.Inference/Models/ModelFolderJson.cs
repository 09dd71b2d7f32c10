using System.Text.Json;

namespace InferenceCluster.Inference.Models;

/// <summary>
/// Reads the JSON files of a model folder so that a malformed one is an <see cref="InvalidDataException"/> whose message
/// names the setting, the file and what is wrong with it (invalid JSON, a key missing or of the wrong type), never a
/// <see cref="KeyNotFoundException"/> from deep inside the engine's load.
/// </summary>
internal sealed class ModelFolderJson(string setting, string file)
{
    /// <summary>Parses the file; its root must be an object.</summary>
    public JsonDocument Parse()
    {
        JsonDocument document;
        try
        {
            var text = File.ReadAllText(file);
            if (string.IsNullOrWhiteSpace(text))
            {
                throw Invalid("is empty, not a JSON object");
            }

            document = JsonDocument.Parse(text);
        }
        catch (JsonException exception)
        {
            throw Invalid($"is not valid JSON ({exception.Message})");
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw Invalid($"cannot be read ({exception.Message})");
        }

        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            var kind = Kind(document.RootElement);
            document.Dispose();
            throw Invalid($"holds {kind}, not a JSON object");
        }

        return document;
    }

    /// <summary>The object at <paramref name="key"/> of <paramref name="parent"/> (named <paramref name="name"/>).</summary>
    public JsonElement RequiredObject(JsonElement parent, string key, string name)
    {
        if (!parent.TryGetProperty(key, out var value))
        {
            throw Invalid($"has no {name}");
        }

        return value.ValueKind == JsonValueKind.Object ? value : throw Invalid($"has {name} {Kind(value)}, not an object");
    }

    /// <summary>The whole number above 0 at <paramref name="key"/>.</summary>
    public int RequiredCount(JsonElement parent, string key, string name) =>
        parent.TryGetProperty(key, out var value) ? Count(value, name) : throw Invalid($"has no {name} (a whole number above 0)");

    /// <summary>The whole number of at least 0 at <paramref name="key"/> when the key is there, else 0.</summary>
    public int OptionalWholeNumber(JsonElement parent, string key, string name)
    {
        if (parent.ValueKind != JsonValueKind.Object || !parent.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return 0;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) && number >= 0
            ? number
            : throw Invalid($"has {name} {Kind(value)}, not a whole number of at least 0");
    }

    /// <summary>A token id: a whole number of at least 0.</summary>
    public int TokenId(JsonElement value, string name) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var id) && id >= 0
            ? id
            : throw Invalid($"has {name} {Kind(value)}, not a token id (a whole number of at least 0)");

    /// <summary>The string at <paramref name="key"/> when the key is there.</summary>
    public string? OptionalString(JsonElement parent, string key, string name)
    {
        if (parent.ValueKind != JsonValueKind.Object || !parent.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw Invalid($"has {name} {Kind(value)}, not a string");
    }

    /// <summary>The error for <paramref name="what"/> is wrong with the file.</summary>
    public InvalidDataException Invalid(string what) =>
        new($"{setting}: '{file}' {what}; {ModelFolder.Holds}");

    private int Count(JsonElement value, string name) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var count) && count > 0
            ? count
            : throw Invalid($"has {name} {Kind(value)}, not a whole number above 0");

    /// <summary>What a value is, for a message: a number or a short string as it is written, else its kind.</summary>
    private static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number or JsonValueKind.String or JsonValueKind.True or JsonValueKind.False
            when value.GetRawText().Length <= 40 => value.GetRawText(),
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.Null => "null",
        _ => $"a {value.ValueKind.ToString().ToLowerInvariant()}",
    };
}
