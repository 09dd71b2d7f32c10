using System.Text.Json;
using InferenceCluster.Gateway.OpenAI;

namespace InferenceCluster.Gateway.Routing;

/// <summary>
/// JSON may escape a lone surrogate (<c>"\ud800"</c>), which is no Unicode text: no tokenizer can take
/// it and no JSON writer can echo it back. Such a body is refused at the edge, naming where it was found.
/// </summary>
internal static class UnicodeCheck
{
    /// <param name="body">The raw body <paramref name="root"/> was parsed from.</param>
    /// <param name="root">Its parsed document.</param>
    public static void ThrowIfInvalid(ReadOnlySpan<byte> body, JsonElement root)
    {
        // Raw UTF-8 cannot carry a surrogate (the parser refuses such bytes), so only an escape can: a body
        // without one, which is nearly every body, needs no walk through its strings.
        if (!MayEscapeSurrogate(body) || Find(root) is not { } param)
        {
            return;
        }

        throw new OpenAIException(
            Microsoft.AspNetCore.Http.StatusCodes.Status400BadRequest,
            "The request contains a string that is not valid Unicode (an unpaired surrogate escape).",
            OpenAIException.InvalidRequestType,
            param.Length == 0 ? null : param,
            "invalid_unicode");
    }

    /// <summary>True when the body holds <c>\uD800</c>–<c>\uDFFF</c> in any case (or text that merely looks like it).</summary>
    private static bool MayEscapeSurrogate(ReadOnlySpan<byte> body)
    {
        for (var at = body.IndexOf("\\u"u8); at >= 0 && at + 3 < body.Length; at = NextEscape(body, at))
        {
            if ((body[at + 2] | 0x20) == 'd' && body[at + 3] is (>= (byte)'8' and <= (byte)'9') or (>= (byte)'a' and <= (byte)'f') or (>= (byte)'A' and <= (byte)'F'))
            {
                return true;
            }
        }

        return false;
    }

    private static int NextEscape(ReadOnlySpan<byte> body, int at)
    {
        var next = body[(at + 2)..].IndexOf("\\u"u8);
        return next < 0 ? -1 : at + 2 + next;
    }

    /// <summary>Where the first string that is not Unicode is ("" for the top level), or null; paths are built only on the way out.</summary>
    private static string? Find(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return TryRead(element.GetString!) ? null : string.Empty;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (Find(item) is { } found)
                    {
                        return $"[{index}]{(found.Length == 0 || found[0] == '[' ? found : "." + found)}";
                    }

                    index++;
                }

                return null;
            case JsonValueKind.Object:
                foreach (var member in element.EnumerateObject())
                {
                    if (!TryRead(() => member.Name))
                    {
                        return string.Empty;
                    }

                    if (Find(member.Value) is { } found)
                    {
                        return found.Length == 0 ? member.Name : found[0] == '[' ? member.Name + found : $"{member.Name}.{found}";
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
