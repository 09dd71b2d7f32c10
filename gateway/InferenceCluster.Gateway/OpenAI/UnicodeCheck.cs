using System.Text;
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
        if ((utf8 && !MayEscapeSurrogate(body)) || Find(root) is not { } found)
        {
            return;
        }

        var param = Format(found);

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

    /// <summary>
    /// Where the first string that is not Unicode is, innermost step first (member names and array
    /// indices; empty for the top level), or null. The path is built only on the way out.
    /// </summary>
    private static List<object>? Find(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return TryRead(element.GetString!) ? null : [];
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (Find(item) is { } found)
                    {
                        found.Add(index);
                        return found;
                    }

                    index++;
                }

                return null;
            case JsonValueKind.Object:
                foreach (var member in element.EnumerateObject())
                {
                    if (!TryRead(() => member.Name))
                    {
                        return [];
                    }

                    if (Find(member.Value) is { } found)
                    {
                        found.Add(member.Name);
                        return found;
                    }
                }

                return null;
            default:
                return null;
        }
    }

    /// <summary>As the validators name a parameter: <c>messages[0].content</c>.</summary>
    private static string Format(List<object> steps)
    {
        var path = new StringBuilder();
        for (var i = steps.Count - 1; i >= 0; i--)
        {
            _ = steps[i] is int index
                ? path.Append('[').Append(index).Append(']')
                : (i == steps.Count - 1 ? path : path.Append('.')).Append((string)steps[i]);
        }

        return path.ToString();
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
