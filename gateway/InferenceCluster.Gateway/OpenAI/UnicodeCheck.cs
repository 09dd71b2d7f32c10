using System.Text.Json;
using System.Text.Unicode;

namespace InferenceCluster.Gateway.OpenAI;

/// <summary>
/// JSON may escape a lone surrogate (<c>"\ud800"</c>), and the parser lets raw bytes that are not UTF-8
/// into strings: neither is Unicode text, which no tokenizer can take and no JSON writer can echo back.
/// Such a body is refused at the edge, naming where it was found.
/// </summary>
internal static class UnicodeCheck
{
    /// <param name="body">The raw body <paramref name="root"/> was parsed from.</param>
    /// <param name="root">Its parsed document.</param>
    public static void ThrowIfInvalid(ReadOnlySpan<byte> body, JsonElement root)
    {
        // A body that is valid UTF-8 and escapes no surrogate, which is nearly every body, holds only
        // Unicode strings and needs no walk through them.
        var utf8 = Utf8.IsValid(body);
        if ((utf8 && !MayEscapeSurrogate(body)) || JsonParamPath.FindFirst(root, NotUnicode) is not { } param)
        {
            return;
        }

        // Both faults look the same once parsed; only the body's bytes tell which it may be.
        var cause = utf8 ? "an unpaired surrogate escape" : "bytes that are not UTF-8, or an unpaired surrogate escape";
        throw new OpenAIException(
            Microsoft.AspNetCore.Http.StatusCodes.Status400BadRequest,
            $"The request contains a string that is not valid Unicode ({cause}).",
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

    /// <summary>A string that is not Unicode (empty steps), or an object with a member name that is not (the object), or null.</summary>
    private static List<object>? NotUnicode(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => TryRead(element.GetString!) ? null : [],
        JsonValueKind.Object => element.EnumerateObject().All(member => TryRead(() => member.Name)) ? null : [],
        _ => null,
    };

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
