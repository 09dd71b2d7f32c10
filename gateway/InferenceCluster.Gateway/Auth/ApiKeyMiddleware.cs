using InferenceCluster.Gateway.OpenAI;
using InferenceCluster.Gateway.Policy;
using InferenceCluster.Gateway.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace InferenceCluster.Gateway.Auth;

/// <summary>
/// Guards <c>/v1/*</c> when keys are configured: <c>Authorization: Bearer &lt;key&gt;</c> must name a known
/// key (else 401 <c>invalid_api_key</c>) within its rate (else 429 with <c>Retry-After</c>). The caller's
/// identity and policy travel on as an HTTP feature. Health endpoints stay open for orchestrators.
/// </summary>
internal sealed partial class ApiKeyMiddleware(RequestDelegate next, ApiKeyStore keys, KeyRateLimiter rates, ILogger<ApiKeyMiddleware> logger)
{
    private const string BearerPrefix = "Bearer ";

    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (keys.IsOpen || !context.Request.Path.StartsWithSegments("/v1", StringComparison.OrdinalIgnoreCase))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var error = Authenticate(context, out var identity);
        if (error is null && identity is not null && await rates.TryAcquireAsync(identity, context.RequestAborted).ConfigureAwait(false) is { } rate)
        {
            // Set as the answer starts: on a forwarded model the proxy removes every rate header from the upstream's
            // answer (they describe the gateway's account there), and would take these with them if set before.
            context.Response.OnStarting(() =>
            {
                rate.WriteHeaders(context.Response);
                return Task.CompletedTask;
            });
            if (!rate.Allowed)
            {
                error = RateLimited(identity, rate.Reset);
            }
        }

        if (error is not null)
        {
            LogRefused(error.StatusCode, error.Code, identity?.Name);
            if (error.StatusCode == StatusCodes.Status401Unauthorized)
            {
                context.Response.Headers.WWWAuthenticate = "Bearer";
            }

            GatewayMetrics.RecordRejected(error);
            await OpenAIErrorWriter.WriteAsync(context, error).ConfigureAwait(false);
            return;
        }

        context.Features.Set(identity);

        // The key is this gateway's credential: a model forwarded to another server must not receive it
        // (a route that needs the upstream's own key sets it with a YARP transform).
        context.Request.Headers.Remove(HeaderNames.Authorization);
        await next(context).ConfigureAwait(false);
    }

    private OpenAIException? Authenticate(HttpContext context, out ApiKeyIdentity? identity)
    {
        identity = null;
        string? header = context.Request.Headers[HeaderNames.Authorization];
        if (string.IsNullOrEmpty(header))
        {
            return OpenAIException.InvalidApiKey("No API key provided. Send it as 'Authorization: Bearer <key>'.");
        }

        if (!header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase) || header.Length == BearerPrefix.Length)
        {
            return OpenAIException.InvalidApiKey("The Authorization header must be 'Bearer <key>'.");
        }

        identity = keys.Find(header[BearerPrefix.Length..].Trim());
        if (identity is null)
        {
            return OpenAIException.InvalidApiKey("Incorrect API key provided.");
        }

        return null;
    }

    private static OpenAIException RateLimited(ApiKeyIdentity identity, TimeSpan retryAfter) =>
        new(
            StatusCodes.Status429TooManyRequests,
            $"Rate limit reached for API key '{identity.Name}': {identity.Policy.RequestsPerMinute} requests per minute.",
            RateLimitErrors.Type,
            null,
            RateLimitErrors.RateLimitCode)
        {
            RetryAfter = retryAfter,
        };

    [LoggerMessage(Level = LogLevel.Information, Message = "Request refused with {Status} ({Code}) for key {KeyName}")]
    private partial void LogRefused(int status, string? code, string? keyName);
}
