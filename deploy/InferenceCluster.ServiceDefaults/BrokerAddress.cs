using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace InferenceCluster.ServiceDefaults;

/// <summary>
/// Reads the RabbitMQ connection string (<c>ConnectionStrings:rabbitmq</c>) the same way in every service and
/// describes it without its credentials, so that no error or log line can carry the password.
/// </summary>
public static partial class BrokerAddress
{
    /// <summary>The setting's name as an environment variable, for error messages.</summary>
    public const string Variable = "ConnectionStrings__rabbitmq";

    /// <summary>
    /// The broker URI of <c>ConnectionStrings:rabbitmq</c>, checked the same way in every service, or null when
    /// it is not set; an error naming the setting when it is set to something else than an amqp:// URI.
    /// </summary>
    public static Uri? Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var connectionString = configuration.GetConnectionString("rabbitmq");
        return string.IsNullOrWhiteSpace(connectionString) ? null : Parse(connectionString);
    }

    /// <summary>The broker URI, or an error naming the setting; the value itself is never repeated, it may hold a password.</summary>
    public static Uri Parse(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        if (UriUserInfo.HasUnencodedDelimiter(connectionString))
        {
            throw Invalid(UriUserInfo.EncodeDelimiters);
        }

        if (!Uri.TryCreate(UriUserInfo.EncodeAts(connectionString.Trim()), UriKind.Absolute, out var uri)
            || uri.Scheme is not ("amqp" or "amqps" or "rabbitmq" or "rabbitmqs"))
        {
            throw Invalid("the value set is not one");
        }

        return uri;
    }

    private static InvalidSettingException Invalid(string why) => new(
        $"{Variable} (configuration key ConnectionStrings:rabbitmq) must be an amqp:// URI such as amqp://user:password@127.0.0.1:5672/; " +
        $"{why} (the value is not repeated here, as it may contain a password).");

    /// <summary>The URI with any user information replaced, fit for logs.</summary>
    public static string Redact(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return string.IsNullOrEmpty(uri.UserInfo)
            ? uri.GetLeftPart(UriPartial.Path)
            : new UriBuilder(uri) { UserName = "***", Password = string.Empty }.Uri.GetLeftPart(UriPartial.Path);
    }

    /// <summary>The scheme, host and port of a broker address (a bus's own address will do): no credentials, no path.</summary>
    public static string Endpoint(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return uri.IsAbsoluteUri ? uri.GetComponents(UriComponents.SchemeAndServer, UriFormat.UriEscaped) : "(unknown)";
    }

    /// <summary>
    /// A text (an error's message) with the user information before a host (<c>guest@127.0.0.1</c>,
    /// <c>user:secret@host</c>) and any <c>password=…</c> or <c>user=…</c> replaced by <c>***</c>, fit for logs: a bus
    /// error names the broker with its user, a Redis client's error may repeat its configuration.
    /// </summary>
    public static string RedactText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Secret().Replace(UserInfo().Replace(text, "${scheme}***@"), "$1***");
    }

    /// <summary>
    /// An error as a log line of ours names it: its type and its message through <see cref="RedactText"/>, then each
    /// inner error's the same way (a refused password and a broker that is down share the outer message), at most
    /// <paramref name="errors"/> in all; no stack trace.
    /// </summary>
    public static string RedactError(Exception exception, int errors = 4)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var text = new StringBuilder();
        for (var (error, depth) = (exception, 0); error is not null && depth < errors; (error, depth) = (error.InnerException, depth + 1))
        {
            text.Append(depth == 0 ? string.Empty : " ---> ").Append(error.GetType().Name).Append(": ").Append(RedactText(error.Message));
        }

        return text.ToString();
    }

    [GeneratedRegex(@"(?<scheme>[a-z]+://)?[^\s@'""()<>\[\]]+@(?=[\w\[:])", RegexOptions.IgnoreCase)]
    private static partial Regex UserInfo();

    [GeneratedRegex(@"((?:password|passwd|pwd|\buser(?:name)?)\s*[=:]\s*)(?:""[^""]*""|'[^']*'|[^\s;,&()'""]+)", RegexOptions.IgnoreCase)]
    private static partial Regex Secret();
}
