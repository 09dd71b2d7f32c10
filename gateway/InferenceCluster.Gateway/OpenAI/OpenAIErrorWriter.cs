using Microsoft.AspNetCore.Http;

namespace InferenceCluster.Gateway.OpenAI;

/// <summary>Writes an <see cref="OpenAIException"/> as a JSON response with its status code.</summary>
internal static class OpenAIErrorWriter
{
    public static Task WriteAsync(HttpContext context, OpenAIException error)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(error);
        context.Response.StatusCode = error.StatusCode;
        if (error.RetryAfter is { } retryAfter)
        {
            context.Response.Headers.RetryAfter = ((long)Math.Ceiling(Math.Max(1, retryAfter.TotalSeconds))).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (error.ShouldRetry is { } shouldRetry)
        {
            context.Response.Headers["x-should-retry"] = shouldRetry ? "true" : "false";
        }

        return context.Response.WriteAsJsonAsync(
            error.ToResponse(),
            OpenAIJsonContext.Wire.ErrorResponse,
            contentType: "application/json",
            cancellationToken: context.RequestAborted);
    }
}
