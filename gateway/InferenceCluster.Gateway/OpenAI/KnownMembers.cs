using System.Text.Json;

namespace InferenceCluster.Gateway.OpenAI;

/// <summary>
/// The members a nested object (a response format, a content part, an input item) may hold. Any other is a 400
/// unknown parameter naming it, unless it is null: a null sets nothing, as at the top level
/// (<see cref="RequestValidator"/>'s unknown-member check).
/// </summary>
internal static class KnownMembers
{
    /// <summary>Refuses a member of <paramref name="element"/> (named <paramref name="param"/>) not in <paramref name="allowed"/>.</summary>
    public static void Only(JsonElement element, string param, params string[] allowed)
    {
        foreach (var member in element.EnumerateObject())
        {
            if (!allowed.Contains(member.Name, StringComparer.Ordinal) && member.Value.ValueKind != JsonValueKind.Null)
            {
                throw OpenAIException.UnknownParameter($"{param}.{member.Name}");
            }
        }
    }
}
