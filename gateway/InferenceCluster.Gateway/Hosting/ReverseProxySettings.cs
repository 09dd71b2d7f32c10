using InferenceCluster.ServiceDefaults;
using Microsoft.Extensions.Configuration;

namespace InferenceCluster.Gateway.Hosting;

/// <summary>
/// The YARP routes and clusters (<c>ReverseProxy</c>) as settings the gateway starts with or refuses, exiting 78 with a
/// line naming the key. The destination addresses (<c>ReverseProxy:Clusters:*:Destinations:*:Address</c>, and the
/// optional <c>Health</c> address beside it) are read here: YARP takes any text for one and fails each request it
/// forwards there, so a typo'd address ran a gateway that could not serve its upstream's models. What YARP refuses
/// itself it throws where the routes are mapped, which crashed the gateway with a stack trace.
/// </summary>
internal static class ReverseProxySettings
{
    /// <summary>The configuration section YARP reads.</summary>
    public const string SectionName = "ReverseProxy";

    private static readonly string[] AddressKeys = ["Address", "Health"];

    /// <summary>Refuses an address YARP could not forward to, naming its key and never its value.</summary>
    public static void CheckDestinations(IConfiguration reverseProxy)
    {
        ArgumentNullException.ThrowIfNull(reverseProxy);
        foreach (var cluster in reverseProxy.GetSection("Clusters").GetChildren())
        {
            foreach (var destination in cluster.GetSection("Destinations").GetChildren())
            {
                foreach (var key in AddressKeys)
                {
                    var setting = destination.GetSection(key);

                    // An empty Address is YARP's own to refuse (no address found); an empty Health means none.
                    if (!string.IsNullOrEmpty(setting.Value) && Why(setting.Value) is { } why)
                    {
                        throw new InvalidSettingException(
                            $"{setting.Path.Replace(":", "__", StringComparison.Ordinal)} (configuration key {setting.Path}) must be an " +
                            $"absolute http:// or https:// address such as https://upstream.example/; {why} (the value is not repeated " +
                            "here, as it may contain credentials).");
                    }
                }
            }
        }
    }

    /// <summary>
    /// YARP's refusal of the section, thrown by MapReverseProxy as "Unable to load or apply the proxy configuration" with
    /// its reasons inside, as a setting the gateway cannot start with. YARP's reasons name routes, clusters and
    /// destinations, not addresses.
    /// </summary>
    public static InvalidSettingException Refused(InvalidOperationException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        // A conversion's own message repeats the value; YARP names neither the key nor its route or cluster then.
        var reasons = exception.InnerException switch
        {
            AggregateException { InnerExceptions.Count: > 0 } errors => string.Join(" ", errors.InnerExceptions.Select(error => error.Message)),
            FormatException or OverflowException or ArgumentException =>
                "a value is not of its key's type (a number, a time span, true or false, or one of the names the key takes).",
            _ => exception.Message,
        };
        return new InvalidSettingException($"{SectionName} (the YARP routes and clusters; ReverseProxy__… in the environment) is invalid: {reasons}", exception);
    }

    private static string? Why(string address)
    {
        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || uri.IsFile || uri.IsUnc)
        {
            return "it is no absolute address (or its port is no number)";
        }

        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
        {
            return "its scheme is not http or https";
        }

        if (uri.Host.Length == 0)
        {
            return "it names no host";
        }

        // YARP appends the request's path and query to the address as text, so they would land inside this query.
        return address.Contains('?', StringComparison.Ordinal) || address.Contains('#', StringComparison.Ordinal)
            ? "it holds a query or fragment, after which YARP would append each request's path"
            : null;
    }
}
