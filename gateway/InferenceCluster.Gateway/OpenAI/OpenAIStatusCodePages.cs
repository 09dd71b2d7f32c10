using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace InferenceCluster.Gateway.OpenAI;

/// <summary>
/// Gives the error statuses that routing and the proxy answer without a body (no route matched, a route
/// matched by path but not by method, a forwarded request that failed) OpenAI's error object, under
/// <c>/v1</c> and outside it, so that SDKs report what went wrong instead of failing to parse an empty body.
/// </summary>
internal static class OpenAIStatusCodePages
{
    public static Task WriteAsync(StatusCodeContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var http = context.HttpContext;

        // Outside /v1 too: a client whose base URL lacks /v1 sends /chat/completions, and an empty 404 told it nothing.
        // A stored response's URL (GET or DELETE /v1/responses/{id}, its input_items, cancel) names the reason instead:
        // a client that retrieves what it made should learn that nothing is kept, not that the URL is unheard of.
        var where = IsStoredResponseUrl(http.Request)
            ? "Responses are not stored on this server ('store: true' is refused), so none can be retrieved, listed or deleted; the whole response comes in the answer to POST /v1/responses."
            : http.Request.Path.StartsWithSegments("/v1", StringComparison.OrdinalIgnoreCase)
            ? "This server implements the endpoints listed in its documentation."
            : "The OpenAI-compatible API is served under /v1 (a client's base URL ends in /v1).";

        // Both are the client's text: quoted capped and escaped, as a line break or a long path must not reach the message.
        var method = QuotedText.Of(http.Request.Method);
        var path = QuotedText.Of(http.Request.Path.Value ?? string.Empty);
        var status = http.Response.StatusCode;
        var error = status switch
        {
            StatusCodes.Status404NotFound => new OpenAIException(
                status, $"Unknown request URL: {method} {path}. {where}",
                OpenAIException.InvalidRequestType, null, "unknown_url"),

            // Routing has already set the Allow header; the message repeats it for people reading logs.
            StatusCodes.Status405MethodNotAllowed => new OpenAIException(
                status, $"Method {method} is not allowed for {path}; allowed: {http.Response.Headers.Allow}.",
                OpenAIException.InvalidRequestType, null, "method_not_allowed"),

            _ => new OpenAIException(
                status, $"The request to {path} failed: {ReasonPhrases.GetReasonPhrase(status)}.",
                status >= 500 ? OpenAIException.ServerErrorType : OpenAIException.InvalidRequestType, null, null),
        };
        return OpenAIErrorWriter.WriteAsync(http, error);
    }

    /// <summary>OpenAI's URLs of a stored response: GET or DELETE <c>{id}</c>, GET <c>{id}/input_items</c>, POST <c>{id}/cancel</c>.</summary>
    private static bool IsStoredResponseUrl(HttpRequest request)
    {
        if (!request.Path.StartsWithSegments("/v1/responses", StringComparison.OrdinalIgnoreCase, out var rest) || !rest.HasValue)
        {
            return false;
        }

        var segments = rest.Value!.Trim('/').Split('/');
        return segments switch
        {
            [_] => HttpMethods.IsGet(request.Method) || HttpMethods.IsDelete(request.Method),
            [_, "input_items"] => HttpMethods.IsGet(request.Method),
            [_, "cancel"] => HttpMethods.IsPost(request.Method),
            _ => false,
        };
    }
}
