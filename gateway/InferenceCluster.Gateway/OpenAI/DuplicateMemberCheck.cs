using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace InferenceCluster.Gateway.OpenAI;

/// <summary>
/// A member named twice in one object (<c>"temperature":0,"temperature":1.5</c>) is a parameter whose other value
/// would go unread: the parser keeps the last one without a word. Such a body is refused, naming the member.
/// </summary>
internal static class DuplicateMemberCheck
{
    /// <summary>The body parsed with every member name unique within its object.</summary>
    public static readonly JsonDocumentOptions UniqueMembers = new() { AllowDuplicateProperties = false };

    /// <summary>Throws the 400 naming the first member that <paramref name="root"/> repeats within one object.</summary>
    public static void ThrowIfAny(JsonElement root)
    {
        if (JsonParamPath.FindFirst(root, RepeatedMember) is { } param)
        {
            throw new OpenAIException(
                StatusCodes.Status400BadRequest,
                $"The request sets '{QuotedText.Of(param)}' more than once; send each parameter once.",
                OpenAIException.InvalidRequestType,
                param,
                "duplicate_parameter");
        }
    }

    private static List<object>? RepeatedMember(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in element.EnumerateObject())
        {
            if (!names.Add(member.Name))
            {
                return [member.Name];
            }
        }

        return null;
    }
}
