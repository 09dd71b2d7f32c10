using System.Globalization;
using System.Text;

namespace InferenceCluster.Gateway.OpenAI;

/// <summary>
/// Text from a request (a member name, a path) as an error message quotes it: at most <see cref="MaxLength"/>
/// characters, then "…"; control, line-breaking and invisible formatting characters written as <c>\uXXXX</c>. A
/// name can then neither make the message long nor break it, or the log line it is written to.
/// </summary>
internal static class QuotedText
{
    public const int MaxLength = 64;

    public static string Of(string text) => Of(text, MaxLength);

    /// <summary>As <see cref="Of(string)"/>, at most <paramref name="maxLength"/> characters (a server's reason quoting the client's text).</summary>
    public static string Of(string text, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(text);
        var quoted = new StringBuilder(Math.Min(text.Length, maxLength + 1));
        for (var i = 0; i < text.Length; i++)
        {
            var pair = char.IsSurrogatePair(text, i);
            var escape = !pair && NeedsEscape(text[i]);
            var width = escape ? 6 : pair ? 2 : 1;
            if (quoted.Length + width > maxLength)
            {
                return quoted.Append('…').ToString();
            }

            if (escape)
            {
                quoted.Append(CultureInfo.InvariantCulture, $"\\u{(int)text[i]:X4}");
            }
            else
            {
                quoted.Append(text, i, width);
                i += width - 1;
            }
        }

        return quoted.ToString();
    }

    private static bool NeedsEscape(char c) => char.GetUnicodeCategory(c) is UnicodeCategory.Control or UnicodeCategory.Format
        or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Surrogate;
}
