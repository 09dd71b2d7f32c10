namespace InferenceCluster.ServiceDefaults;

/// <summary>
/// OTEL_EXPORTER_OTLP_HEADERS as the exporter reads it: percent-decoded, then key=value pairs split at commas. The
/// exporter threw at start on a pair without '=' (a trailing comma included), and the HTTP client on a bad header name
/// or value, with a message that could quote it: a value that carries an API key must never reach a log.
/// </summary>
internal static class OtlpHeaders
{
    /// <summary>Whether the exporter can send <paramref name="headers"/>.</summary>
    internal static bool AreValid(string headers)
    {
        foreach (var pair in Uri.UnescapeDataString(headers).Split(','))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0)
            {
                return false;
            }

            var key = pair[..equals].Trim();
            var value = pair[(equals + 1)..].Trim();
            if (key.Length == 0 || !key.All(IsTokenCharacter) || !value.All(IsValueCharacter))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A character of an HTTP token (RFC 9110), which a header name is.</summary>
    private static bool IsTokenCharacter(char c) =>
        char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal);

    private static bool IsValueCharacter(char c) => c is '\t' or (>= ' ' and < '\u007f');
}
