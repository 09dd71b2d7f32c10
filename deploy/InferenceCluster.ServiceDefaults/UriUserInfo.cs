namespace InferenceCluster.ServiceDefaults;

/// <summary>
/// The user and password of a connection URI (amqp://, redis://) as operators write them, read the same way for every
/// server. A host holds no '@', so only the last '@' can end them, and a password such as p@ss means what it says:
/// Python's urllib, Go's net/url and the WHATWG URL parser read it so, where <see cref="Uri"/> refuses it. A '#', '?' or
/// '/' before that '@' ends the host part early, so the URI would read as another one: it must be percent-encoded.
/// </summary>
public static class UriUserInfo
{
    /// <summary>What to tell an operator whose URI has such a mark in its user or password.</summary>
    public const string EncodeDelimiters =
        "percent-encode any '#', '?' or '/' in the user or password (%23, %3F, %2F): left as they are, they end the URI's host part early";

    /// <summary>Whether a '#', '?' or '/' stands before the last '@' of the part after "://".</summary>
    public static bool HasUnencodedDelimiter(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var text = value.AsSpan().Trim();
        var start = text.IndexOf("://", StringComparison.Ordinal);
        var rest = start < 0 ? [] : text[(start + 3)..];
        var at = rest.LastIndexOf('@');
        return at > 0 && rest[..at].IndexOfAny("#?/") >= 0;
    }

    /// <summary>The URI with every '@' before the last one percent-encoded, so that <see cref="Uri"/> reads it as meant.</summary>
    public static string EncodeAts(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var start = value.IndexOf("://", StringComparison.Ordinal) + 3;
        var at = value.LastIndexOf('@');
        return start < 3 || at <= start
            ? value
            : string.Concat(value.AsSpan(0, start), value[start..at].Replace("@", "%40", StringComparison.Ordinal), value.AsSpan(at));
    }
}
