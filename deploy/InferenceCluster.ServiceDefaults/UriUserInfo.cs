namespace InferenceCluster.ServiceDefaults;

/// <summary>
/// The user and password of a connection URI (amqp://, redis://) as operators write them, read the same way for every
/// server. The authority (user, password, host, port) ends at the first '/', '?' or '#', and inside it a host holds no
/// '@', so only its last '@' can end the user and password: a password such as p@ss means what it says, as Python's
/// urllib, Go's net/url and the WHATWG URL parser read it, where <see cref="Uri"/> refuses it. An '@' after the
/// authority is the path's (a RabbitMQ virtual host may hold one). A '#', '?' or '/' in a password ends the authority
/// early, so the URI would read as another one: when what is left before it is no host, it must be percent-encoded.
/// </summary>
public static class UriUserInfo
{
    /// <summary>What to tell an operator whose URI has such a mark in its user or password.</summary>
    public const string EncodeDelimiters =
        "percent-encode any '#', '?' or '/' in the user or password (%23, %3F, %2F): left as they are, they end the URI's host part early";

    /// <summary>
    /// Whether a '#', '?' or '/' stands in the user or password: an '@' follows it, and the authority it ends holds no
    /// user and is no host with a port either (<c>guest:Pa55/x@host</c>, not <c>host:5672/vhost@eu</c>).
    /// </summary>
    public static bool HasUnencodedDelimiter(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var text = value.Trim();
        var (start, end) = Authority(text);
        if (start < 0)
        {
            return false;
        }

        var authority = text[start..end];
        return !authority.Contains('@', StringComparison.Ordinal)
            && text.IndexOf('@', end) > end
            && !IsHostAndPort(authority);
    }

    /// <summary>The URI with every '@' of its authority but the last percent-encoded, so that <see cref="Uri"/> reads it as meant.</summary>
    public static string EncodeAts(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var (start, end) = Authority(value);
        var at = start < 0 ? -1 : value.LastIndexOf('@', end - 1, end - start);
        return at <= start
            ? value
            : string.Concat(value.AsSpan(0, start), value[start..at].Replace("@", "%40", StringComparison.Ordinal), value.AsSpan(at));
    }

    /// <summary>A host, with or without a port of digits: <c>rabbit</c>, <c>rabbit:5672</c>, <c>[::1]:5672</c>; not <c>guest:Pa55</c>.</summary>
    private static bool IsHostAndPort(string authority)
    {
        var portAt = authority.StartsWith('[') ? authority.IndexOf("]:", StringComparison.Ordinal) + 1 : authority.LastIndexOf(':');
        if (authority.StartsWith('[') && !authority.Contains(']', StringComparison.Ordinal))
        {
            return false;
        }

        return portAt < 0
            ? authority.Length > 0
            : portAt > 0 && portAt < authority.Length - 1 && authority.AsSpan(portAt + 1).IndexOfAnyExceptInRange('0', '9') < 0;
    }

    /// <summary>Where the authority lies: after "://", up to the first '/', '?' or '#'; (-1, -1) without "://".</summary>
    private static (int Start, int End) Authority(string value)
    {
        var start = value.IndexOf("://", StringComparison.Ordinal);
        if (start < 0)
        {
            return (-1, -1);
        }

        start += 3;
        var end = value.IndexOfAny(['/', '?', '#'], start);
        return (start, end < 0 ? value.Length : end);
    }
}
