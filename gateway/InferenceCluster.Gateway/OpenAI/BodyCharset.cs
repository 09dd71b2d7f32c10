using Microsoft.Net.Http.Headers;

namespace InferenceCluster.Gateway.OpenAI;

/// <summary>
/// The charset a request's <c>Content-Type</c> declares. A body is read as UTF-8, as JSON on the wire is (RFC 8259), so a
/// body declared in another charset with bytes beyond ASCII would be read as other text than the client wrote; it is
/// refused, not reread. An ASCII body reads the same in any of them (some HTTP stacks declare Latin-1 by default). A media
/// type without a charset, or one the header parser cannot read, declares nothing (curl's <c>-d</c> sends a form type).
/// </summary>
internal static class BodyCharset
{
    /// <summary>
    /// Throws the 415 when <paramref name="contentType"/> declares a charset other than UTF-8 (or its subset US-ASCII)
    /// for a <paramref name="body"/> that holds a byte beyond ASCII.
    /// </summary>
    public static void ThrowIfNotUtf8(string? contentType, ReadOnlySpan<byte> body)
    {
        if (!body.ContainsAnyInRange((byte)0x80, (byte)0xFF)
            || !MediaTypeHeaderValue.TryParse(contentType, out var mediaType) || !mediaType.Charset.HasValue)
        {
            return;
        }

        var charset = HeaderUtilities.RemoveQuotes(mediaType.Charset).Value ?? string.Empty;
        if (!charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)
            && !charset.Equals("utf8", StringComparison.OrdinalIgnoreCase)
            && !charset.Equals("us-ascii", StringComparison.OrdinalIgnoreCase))
        {
            throw OpenAIException.UnsupportedCharset(charset);
        }
    }
}
