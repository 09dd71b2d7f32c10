using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace InferenceCluster.Gateway.OpenAI;

/// <summary>
/// Gives the error statuses that routing and the proxy answer without a body (no route matched, a route
/// matched by path but not by method, a forwarded request that failed) OpenAI's error object, under
/// <c>/v1</c> and outside it, so that SDKs report what went wrong instead of failing to parse an empty body. An unknown
/// URL's message opens with OpenAI's own words for it ("Invalid URL (GET /v1/nope)").
/// </summary>
internal static class OpenAIStatusCodePages
{
    private const string ResponsesNotStored =
        "Responses are not stored on this server ('store: true' is refused), so none can be retrieved, listed or deleted; the whole response comes in the answer to POST /v1/responses.";

    private const string ChatCompletionsNotStored =
        "Chat completions are not stored on this server ('store: true' is refused), so none can be retrieved, listed, updated or deleted; the whole completion comes in the answer to POST /v1/chat/completions.";

    public static Task WriteAsync(StatusCodeContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var http = context.HttpContext;

        // Outside /v1 too: a client whose base URL lacks /v1 sends /chat/completions, and an empty 404 told it nothing.
        // A stored object's URL (a response's or a chat completion's, as OpenAI keeps them) names the reason instead:
        // a client that retrieves what it made should learn that nothing is kept, not that the URL is unheard of.
        var notStored = NotStoredReason(http.Request);
        var where = notStored
            ?? (http.Request.Path.StartsWithSegments("/v1", StringComparison.OrdinalIgnoreCase)
                ? "This server implements the endpoints listed in its documentation."
                : "The OpenAI-compatible API is served under /v1 (a client's base URL ends in /v1).");

        // Both are the client's text: quoted capped and escaped, as a line break or a long path must not reach the message.
        var method = QuotedText.Of(http.Request.Method);
        var path = QuotedText.Of(http.Request.Path.Value ?? string.Empty);
        var status = http.Response.StatusCode;
        var error = status switch
        {
            StatusCodes.Status404NotFound => new OpenAIException(
                status, $"Invalid URL ({method} {path}). {where}",
                OpenAIException.InvalidRequestType, null, "unknown_url"),

            // Routing has already set the Allow header; the message repeats it for people reading logs.
            StatusCodes.Status405MethodNotAllowed => new OpenAIException(
                status, $"Method {method} is not allowed for {path}; allowed: {http.Response.Headers.Allow}.{(notStored is null ? null : " " + notStored)}",
                OpenAIException.InvalidRequestType, null, "method_not_allowed"),

            _ => new OpenAIException(
                status, $"The request to {path} failed: {ReasonPhrases.GetReasonPhrase(status)}.",
                status >= 500 ? OpenAIException.ServerErrorType : OpenAIException.InvalidRequestType, null, null),
        };
        return OpenAIErrorWriter.WriteAsync(http, error);
    }

    /// <summary>
    /// Why OpenAI's URL of a stored object finds nothing here, or null for any other URL. A stored response: GET or
    /// DELETE <c>/v1/responses/{id}</c>, GET <c>{id}/input_items</c>, POST <c>{id}/cancel</c>. A stored chat completion:
    /// GET <c>/v1/chat/completions</c> (the list), GET, POST (its metadata) or DELETE <c>/v1/chat/completions/{id}</c>,
    /// GET <c>{id}/messages</c>.
    /// </summary>
    private static string? NotStoredReason(HttpRequest request)
    {
        var method = request.Method;
        if (request.Path.StartsWithSegments("/v1/responses", StringComparison.OrdinalIgnoreCase, out var rest))
        {
            return Segments(rest) switch
            {
                [_] when HttpMethods.IsGet(method) || HttpMethods.IsDelete(method) => ResponsesNotStored,
                [_, "input_items"] when HttpMethods.IsGet(method) => ResponsesNotStored,
                [_, "cancel"] when HttpMethods.IsPost(method) => ResponsesNotStored,
                _ => null,
            };
        }

        if (request.Path.StartsWithSegments("/v1/chat/completions", StringComparison.OrdinalIgnoreCase, out rest))
        {
            return Segments(rest) switch
            {
                [] when HttpMethods.IsGet(method) => ChatCompletionsNotStored,
                [_] when HttpMethods.IsGet(method) || HttpMethods.IsPost(method) || HttpMethods.IsDelete(method) => ChatCompletionsNotStored,
                [_, "messages"] when HttpMethods.IsGet(method) => ChatCompletionsNotStored,
                _ => null,
            };
        }

        return null;
    }

    private static string[] Segments(PathString rest) =>
        rest.HasValue ? rest.Value!.Trim('/').Split('/') : [];
}
