using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace InferenceCluster.Gateway.OpenAI;

/// <summary>
/// Reads a request body, parsed once before routing, as the endpoint's request type when the endpoint answers.
/// Every fault is a 400 naming the member at fault, never a 500.
/// </summary>
internal static class RequestBody
{
    /// <summary>The body as <typeparamref name="T"/>; <paramref name="hints"/> describe members whose plain type misleads.</summary>
    public static T Read<T>(JsonElement body, JsonTypeInfo<T> type, IReadOnlyDictionary<string, string>? hints = null)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(type);
        try
        {
            return body.Deserialize(type) ?? throw OpenAIException.InvalidJson("expected a JSON object at the top level.");
        }
        catch (JsonException ex)
        {
            throw WireTypeError.For(type, ex, hints);
        }
    }

    /// <summary>Turns <c>$.messages[0].content</c> into <c>messages[0].content</c>; null for the root.</summary>
    internal static string? ParamFromPath(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return null;
        }

        return path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
    }
}
