using System.Globalization;
using System.Net;
using StackExchange.Redis;

namespace InferenceCluster.Gateway.Redis;

/// <summary>
/// The Redis URI form of the connection string, redis://[user[:password]@]host[:port][/database] (rediss:// with TLS),
/// which the client does not read: it takes the whole URI for a host name.
/// </summary>
internal static class RedisUri
{
    private const int DefaultPort = 6379;

    private const string EncodeUserInfo =
        "percent-encode any '#', '?' or '/' in the user or password (%23, %3F, %2F): left as they are, they end the URI's host part early";

    /// <summary>
    /// Whether the value is written as a URI (it begins with a scheme and "://"), so <see cref="Parse"/> reads it; a
    /// "://" later on, in a client-form password for one, leaves it the client's.
    /// </summary>
    public static bool IsUri(string value)
    {
        var text = value.AsSpan().TrimStart();
        var end = text.IndexOf("://", StringComparison.Ordinal);
        if (end <= 0 || !char.IsAsciiLetter(text[0]))
        {
            return false;
        }

        foreach (var c in text[..end])
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('+' or '-' or '.'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The configuration the URI says, or null with why it cannot be read (never repeating the value).</summary>
    public static ConfigurationOptions? Parse(string value, out string? why)
    {
        why = null;
        if (UnencodedInUserInfo(value))
        {
            why = EncodeUserInfo;
            return null;
        }

        if (!Uri.TryCreate(EncodeAtsInUserInfo(value.Trim()), UriKind.Absolute, out var uri)
            || !(uri.Scheme is "redis" or "rediss")
            || string.IsNullOrEmpty(uri.Host))
        {
            why = "a URI must be redis://[user:password@]host[:port][/database] or rediss://… for TLS";
            return null;
        }

        if (uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            why = "a URI carries no options (?…) or fragment (#…); write options in the client's form, host:port,password=…,option=value";
            return null;
        }

        var configuration = new ConfigurationOptions { Ssl = uri.Scheme == "rediss" };
        var port = uri.Port < 0 ? DefaultPort : uri.Port;
        if (IPAddress.TryParse(uri.DnsSafeHost, out var address))
        {
            configuration.EndPoints.Add(new IPEndPoint(address, port));
        }
        else
        {
            configuration.EndPoints.Add(uri.DnsSafeHost, port);
        }

        if (uri.UserInfo.Length > 0)
        {
            // user:password, either part may be empty (redis://:password@host is the usual form without ACL users).
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            var user = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            configuration.User = user.Length > 0 ? user : null;
            configuration.Password = colon < 0 ? null : Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
        }

        var path = uri.AbsolutePath.Trim('/');
        if (path.Length > 0)
        {
            if (!int.TryParse(path, NumberStyles.None, CultureInfo.InvariantCulture, out var database))
            {
                why = "a URI's path must be the database number (redis://host:6379/0)";
                return null;
            }

            configuration.DefaultDatabase = database;
        }

        return configuration;
    }

    /// <summary>
    /// The URI with every '@' before the last one percent-encoded. A host name holds no '@', so only the last one can end
    /// the user information, and a password such as p@ss means what it says; Python's urllib, Go's net/url and the WHATWG
    /// URL parser (Node's Redis clients) read it so, where <see cref="Uri"/> refuses it.
    /// </summary>
    private static string EncodeAtsInUserInfo(string value)
    {
        var start = value.IndexOf("://", StringComparison.Ordinal) + 3;
        var at = value.LastIndexOf('@');
        return start < 3 || at <= start ? value : string.Concat(value.AsSpan(0, start), value[start..at].Replace("@", "%40", StringComparison.Ordinal), value.AsSpan(at));
    }

    /// <summary>
    /// Whether a '#', '?' or '/' stands before the last '@' of the part after "://": in a user or password, which is the
    /// only place an '@' belongs there, it cuts the host part short and the URI reads as another one.
    /// </summary>
    private static bool UnencodedInUserInfo(string value)
    {
        var text = value.AsSpan().Trim();
        var start = text.IndexOf("://", StringComparison.Ordinal);
        var rest = start < 0 ? [] : text[(start + 3)..];
        var at = rest.LastIndexOf('@');
        return at > 0 && rest[..at].IndexOfAny("#?/") >= 0;
    }
}
