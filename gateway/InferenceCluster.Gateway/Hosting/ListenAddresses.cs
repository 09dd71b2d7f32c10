using InferenceCluster.ServiceDefaults;
using Microsoft.AspNetCore.Http;

namespace InferenceCluster.Gateway.Hosting;

/// <summary>
/// The addresses the gateway listens on (configuration key <c>urls</c>: ASPNETCORE_URLS or --urls), read as Kestrel
/// reads them, at start: Kestrel throws on one it cannot read only once the host starts, and the gateway crashed with a
/// stack trace instead of exiting 78.
/// </summary>
internal static class ListenAddresses
{
    /// <summary>Refuses <paramref name="urls"/> when Kestrel could not listen on one of its addresses, naming the setting.</summary>
    public static void Check(string? urls)
    {
        if (string.IsNullOrWhiteSpace(urls))
        {
            return;
        }

        var addresses = urls.Split(';', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < addresses.Length; i++)
        {
            if (Why(addresses[i]) is { } why)
            {
                throw new InvalidSettingException(
                    $"ASPNETCORE_URLS (or --urls; configuration key urls) must be addresses such as http://127.0.0.1:8080, separated " +
                    $"by ';'; address {i + 1} of {addresses.Length} {why} (the value is not repeated here).");
            }
        }
    }

    private static string? Why(string address)
    {
        if (address != address.Trim())
        {
            return "has spaces around it";
        }

        BindingAddress binding;
        try
        {
            binding = BindingAddress.Parse(address);
        }
        catch (FormatException)
        {
            return "is no http:// or https:// address with a host and a port";
        }

        // A port that is no number is taken for part of the host, and Kestrel listens on port 80 of every interface; a
        // Unix socket's host (unix:/path) holds a ':' of its own and has no port.
        if (!binding.IsUnixPipe && binding.Host.Contains(':', StringComparison.Ordinal) && !binding.Host.StartsWith('['))
        {
            return "has a port that is no number";
        }

        if (!string.Equals(binding.Scheme, "http", StringComparison.OrdinalIgnoreCase)
            && !string.Equals(binding.Scheme, "https", StringComparison.OrdinalIgnoreCase))
        {
            return "has a scheme other than http or https";
        }

        return binding.Port == 0 && string.Equals(binding.Host, "localhost", StringComparison.OrdinalIgnoreCase)
            ? "asks for any free port on localhost, which Kestrel cannot give (use 127.0.0.1:0)"
            : null;
    }
}
