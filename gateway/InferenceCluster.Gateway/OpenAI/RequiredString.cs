using System.Text.Json;

namespace InferenceCluster.Gateway.OpenAI;

/// <summary>
/// A string member an object must have (a part's <c>type</c> or <c>text</c>). Absent or null it is a missing parameter,
/// as a null member sets nothing elsewhere; present with another JSON type it is a wrong type, so that a client that did
/// send one is not told it is missing.
/// </summary>
internal static class RequiredString
{
    /// <summary>The string <paramref name="member"/> of <paramref name="owner"/>, or the 400 naming <paramref name="param"/>.</summary>
    public static string Read(JsonElement owner, string member, string param)
    {
        if (!owner.TryGetProperty(member, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            throw OpenAIException.Missing(param);
        }

        return value.ValueKind == JsonValueKind.String ? value.GetString()! : throw OpenAIException.InvalidType(param, "a string");
    }
}
