using Microsoft.AspNetCore.Http;

namespace InferenceCluster.Gateway.Playground;

/// <summary>
/// Headers of every playground response. The policy allows scripts, styles and fetches from the gateway
/// itself only: no inline script, so text a model writes can never run as code even if it slipped into the page.
/// </summary>
internal static class PlaygroundHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public static void Apply(HttpResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";

        // The files are embedded in the gateway: a new build must show at once, not after a cache expires.
        response.Headers.CacheControl = "no-cache";
    }
}
