using System.Globalization;
using System.Net;
using InferenceCluster.ServiceDefaults;
using StackExchange.Redis;

namespace InferenceCluster.Gateway.Redis;

/// <summary>
/// The Redis URI form of the connection string, redis://[user[:password]@]host[:port][/database] (rediss:// with TLS),
/// which the client does not read: it takes the whole URI for a host name.
/// </summary>
internal static class RedisUri
{
    private const int DefaultPort = 6379;

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
        if (UriUserInfo.HasUnencodedDelimiter(value))
        {
            why = UriUserInfo.EncodeDelimiters;
            return null;
        }

        if (!Uri.TryCreate(UriUserInfo.EncodeAts(value.Trim()), UriKind.Absolute, out var uri)
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
}
