using System.Globalization;
using System.Text;
using System.Text.Json;
using InferenceCluster.Gateway.OpenAI;

namespace InferenceCluster.Gateway.Transport;

/// <summary>
/// Kestrel's answer to a request it refused (an HTTP/1.x status line, its headers, <c>Content-Length: 0</c>, no body)
/// rewritten to carry OpenAI's error object; Kestrel's status line and other headers stay as they were.
/// </summary>
internal static class RejectionAnswer
{
    private static ReadOnlySpan<byte> EmptyBody => "\r\nContent-Length: 0\r\n"u8;

    private static ReadOnlySpan<byte> HeadersEnd => "\r\n\r\n"u8;

    /// <summary>The answer with <paramref name="error"/> as its body, or <paramref name="written"/> itself when it is not Kestrel's empty refusal.</summary>
    public static byte[] Replace(ReadOnlySpan<byte> written, OpenAIException error)
    {
        var headersEnd = written.IndexOf(HeadersEnd);
        var emptyBody = written.IndexOf(EmptyBody);
        if (!written.StartsWith("HTTP/1."u8) || headersEnd < 0 || headersEnd + HeadersEnd.Length != written.Length
            || emptyBody < 0 || emptyBody > headersEnd)
        {
            return written.ToArray();
        }

        var body = JsonSerializer.SerializeToUtf8Bytes(error.ToResponse(), OpenAIJsonContext.Wire.ErrorResponse);
        var framing = Encoding.ASCII.GetBytes(string.Create(
            CultureInfo.InvariantCulture, $"\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n"));

        // The status line and Kestrel's other headers (Connection: close, Date, Server…), the framing in place of its Content-Length: 0.
        return [.. written[..emptyBody], .. framing, .. written[(emptyBody + EmptyBody.Length)..], .. body];
    }
}
