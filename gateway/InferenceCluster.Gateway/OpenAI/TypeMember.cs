using System.Text.Json;

namespace InferenceCluster.Gateway.OpenAI;

/// <summary>
/// The <c>type</c> member that says what an object is (a response format, a content part). Absent or null it is a
/// missing parameter; present with another JSON type than a string it is a wrong type, so that a client that did
/// send one is not told it is missing.
/// </summary>
internal static class TypeMember
{
    /// <summary>The type of <paramref name="tagged"/>, or the 400 naming <paramref name="param"/>.</summary>
    public static string Read(JsonElement tagged, string param)
    {
        if (!tagged.TryGetProperty("type", out var type) || type.ValueKind == JsonValueKind.Null)
        {
            throw OpenAIException.Missing(param);
        }

        return type.ValueKind == JsonValueKind.String ? type.GetString()! : throw OpenAIException.InvalidType(param, "a string");
    }
}
