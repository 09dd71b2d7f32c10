using System.Text.Json;
using InferenceCluster.Gateway.OpenAI;

namespace InferenceCluster.Gateway.Routing;

/// <summary>
/// JSON may escape a lone surrogate (<c>"\ud800"</c>), which is no Unicode text: no tokenizer can take
/// it and no JSON writer can echo it back. Such a body is refused at the edge, naming where it was found.
/// </summary>
internal static class UnicodeCheck
{
    public static void ThrowIfInvalid(JsonElement root)
    {
        if (Find(root, string.Empty) is { } param)
        {
            throw new OpenAIException(
                Microsoft.AspNetCore.Http.StatusCodes.Status400BadRequest,
                "The request contains a string that is not valid Unicode (an unpaired surrogate escape).",
                OpenAIException.InvalidRequestType,
                param.Length == 0 ? null : param,
                "invalid_unicode");
        }
    }

    private static string? Find(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return TryRead(element.GetString!) ? null : path;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (Find(item, $"{path}[{index++}]") is { } found)
                    {
                        return found;
                    }
                }

                return null;
            case JsonValueKind.Object:
                foreach (var member in element.EnumerateObject())
                {
                    if (!TryRead(() => member.Name))
                    {
                        return path;
                    }

                    if (Find(member.Value, path.Length == 0 ? member.Name : $"{path}.{member.Name}") is { } found)
                    {
                        return found;
                    }
                }

                return null;
            default:
                return null;
        }
    }

    // System.Text.Json refuses to unescape an unpaired surrogate into a string and throws instead.
    private static bool TryRead(Func<string> read)
    {
        try
        {
            _ = read();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
