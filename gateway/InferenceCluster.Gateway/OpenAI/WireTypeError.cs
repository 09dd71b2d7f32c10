using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace InferenceCluster.Gateway.OpenAI;

/// <summary>
/// The 400 for a body member of the wrong type, naming the member and the type it must have, read from the
/// request type's own contract so that the message cannot drift from what the reader accepts.
/// </summary>
internal static class WireTypeError
{
    /// <param name="request">The contract the body was read with.</param>
    /// <param name="error">The reader's failure; its path names the member.</param>
    /// <param name="hints">Fuller descriptions for members whose plain type misleads (by parameter path).</param>
    public static OpenAIException For(JsonTypeInfo request, JsonException error, IReadOnlyDictionary<string, string>? hints = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(error);
        var param = ParamFromPath(error.Path);
        if (param is null)
        {
            return OpenAIException.InvalidJson(error.Message);
        }

        var expected = hints?.GetValueOrDefault(param) ?? Describe(ExpectedType(request, param)) ?? "a value of the documented type";
        return OpenAIException.InvalidType(param, expected);
    }

    /// <summary>The declared type at <paramref name="param"/> (<c>messages[0].role</c>), or null when the path leaves the contract.</summary>
    private static Type? ExpectedType(JsonTypeInfo root, string param)
    {
        JsonTypeInfo? current = root;
        Type? type = null;
        foreach (var segment in param.Split('.'))
        {
            var bracket = segment.IndexOf('[', StringComparison.Ordinal);
            var name = bracket < 0 ? segment : segment[..bracket];

            // A member of a dictionary (metadata.topic) has the dictionary's value type, whatever its name.
            type = current?.Kind == JsonTypeInfoKind.Dictionary
                ? current.ElementType
                : current?.Properties.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.Ordinal))?.PropertyType;
            if (type is null)
            {
                return null;
            }

            for (var index = bracket; index >= 0 && type is not null; index = segment.IndexOf('[', index + 1))
            {
                type = ElementType(type);
            }

            current = type is null ? null : root.Options.GetTypeInfo(type);
        }

        return type;
    }

    private static Type? ElementType(Type type) =>
        type.IsArray ? type.GetElementType()
        : type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>) ? type.GetGenericArguments()[0]
        : null;

    private static string? Describe(Type? type)
    {
        type = type is null ? null : Nullable.GetUnderlyingType(type) ?? type;
        return type switch
        {
            null => null,
            // The range too: a client that sent an integer too large for the member learns which it takes.
            _ when type == typeof(int) => string.Create(CultureInfo.InvariantCulture, $"an integer from {int.MinValue} to {int.MaxValue}"),
            _ when type == typeof(long) => string.Create(CultureInfo.InvariantCulture, $"an integer from {long.MinValue} to {long.MaxValue}"),
            _ when type == typeof(double) || type == typeof(float) => "a number",
            _ when type == typeof(bool) => "a boolean",
            _ when type == typeof(string) => "a string",
            _ when type == typeof(JsonElement) => null,
            _ when ElementType(type) is not null => "an array",
            _ => "an object",
        };
    }

    /// <summary>Turns <c>$.messages[0].content</c> into <c>messages[0].content</c>; null for the root.</summary>
    private static string? ParamFromPath(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return null;
        }

        return path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
    }
}
