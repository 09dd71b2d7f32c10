using System.Globalization;
using System.Text.Json;
using InferenceCluster.Contracts;
using Microsoft.AspNetCore.Http;

namespace InferenceCluster.Gateway.OpenAI;

/// <summary>
/// The one error type of the gateway's edge. It knows its HTTP status and renders as OpenAI's error
/// object, both as a JSON response and as the error event of a stream.
/// </summary>
internal sealed class OpenAIException : Exception
{
    public const string InvalidRequestType = "invalid_request_error";
    public const string ServerErrorType = "server_error";

    public OpenAIException(int statusCode, string message, string type, string? param, string? code)
        : base(message)
    {
        StatusCode = statusCode;
        Type = type;
        Param = param;
        Code = code;
    }

    public int StatusCode { get; }

    public string Type { get; }

    public string? Param { get; }

    public string? Code { get; }

    /// <summary>Sent as the <c>Retry-After</c> header (whole seconds, rounded up) when set, e.g. on 429.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>
    /// Sent as the <c>x-should-retry</c> header when set: OpenAI's SDKs obey it over their own rule, which retries every
    /// 5xx (twice by default), so a failure no retry can fix says false and is not run again.
    /// </summary>
    public bool? ShouldRetry { get; init; }

    public ErrorResponse ToResponse() => new(new ErrorBody(Message, Type, Param, Code));

    public static OpenAIException InvalidValue(string param, string message) =>
        new(StatusCodes.Status400BadRequest, message, InvalidRequestType, param, "invalid_value");

    /// <summary>
    /// A string outside the values <paramref name="param"/> takes: "Invalid value for 'tool_choice': 'x'; supported values are
    /// 'none', 'auto' and 'required'", then <paramref name="otherwise"/> ("or an object naming a tool") when the member takes
    /// something besides these strings.
    /// </summary>
    public static OpenAIException InvalidEnum(string param, string value, IReadOnlyList<string> supported, string? otherwise = null)
    {
        ArgumentNullException.ThrowIfNull(supported);
        var quoted = supported.Select(name => $"'{name}'").ToList();
        var listed = quoted.Count > 1 ? $"{string.Join(", ", quoted[..^1])} and {quoted[^1]}" : string.Concat(quoted);
        return InvalidValue(
            param, $"Invalid value for '{param}': '{QuotedText.Of(value)}'; supported values are {listed}{(otherwise is null ? "" : ", " + otherwise)}.");
    }

    /// <summary>
    /// A number outside <paramref name="min"/> to <paramref name="max"/>, in the wording of the sampling settings' ranges
    /// (<see cref="SamplingSettings.Check"/>): "'best_of' must be between 1 and 20; got 25." <paramref name="got"/> is the value
    /// as sent (a number beyond double's range has no other form).
    /// </summary>
    public static OpenAIException OutOfRange(string param, double min, double max, string got) =>
        InvalidValue(param, string.Create(CultureInfo.InvariantCulture, $"'{param}' must be between {min} and {max}; got {got}."));

    /// <inheritdoc cref="OutOfRange(string, double, double, string)"/>
    public static OpenAIException OutOfRange(string param, double min, double max, double got) =>
        OutOfRange(param, min, max, got.ToString(CultureInfo.InvariantCulture));

    /// <summary>
    /// The 400 <c>invalid_type</c> naming the first item of <paramref name="list"/> (an array) that is not a
    /// <paramref name="kind"/> (<c>tools[2]</c>), or null when every item is one.
    /// </summary>
    public static OpenAIException? FirstItemNotOf(JsonElement list, JsonValueKind kind, string param, string expected)
    {
        var index = list.EnumerateArray().TakeWhile(item => item.ValueKind == kind).Count();
        return index < list.GetArrayLength() ? InvalidType($"{param}[{index}]", expected) : null;
    }

    public static OpenAIException InvalidType(string param, string expected) =>
        new(StatusCodes.Status400BadRequest, $"Invalid type for '{param}': expected {expected}.", InvalidRequestType, param, "invalid_type");

    public static OpenAIException Missing(string param) =>
        new(StatusCodes.Status400BadRequest, $"Missing required parameter: '{param}'.", InvalidRequestType, param, "missing_required_parameter");

    public static OpenAIException Unsupported(string param, string message) =>
        new(StatusCodes.Status400BadRequest, message, InvalidRequestType, param, "unsupported_parameter");

    public static OpenAIException UnknownParameter(string param) =>
        new(StatusCodes.Status400BadRequest, $"Unrecognized request argument supplied: '{QuotedText.Of(param)}'. This server does not implement it.", InvalidRequestType, param, "unknown_parameter");

    public static OpenAIException InvalidJson(string detail) =>
        new(StatusCodes.Status400BadRequest, $"The request body is not valid JSON: {detail}", InvalidRequestType, null, "invalid_json");

    public static OpenAIException BodyTooLarge(long limit) =>
        new(StatusCodes.Status413PayloadTooLarge, $"The request body exceeds the limit of {limit} bytes.", InvalidRequestType, null, "request_too_large");

    /// <summary>
    /// The request's line, headers or body framing could not be read (a reason of Kestrel's such as "Bad chunk size
    /// data."); <paramref name="status"/> is the one Kestrel chose.
    /// </summary>
    public static OpenAIException Unreadable(int status, string reason) =>
        new(status, $"The request could not be read: {QuotedText.Of(WithoutEmptyDetail(reason), 200)}", InvalidRequestType, null, status switch
        {
            StatusCodes.Status400BadRequest => "malformed_request",
            StatusCodes.Status405MethodNotAllowed => "method_not_allowed",
            StatusCodes.Status408RequestTimeout => "request_timeout",
            StatusCodes.Status413PayloadTooLarge => "request_too_large",
            StatusCodes.Status414UriTooLong => "url_too_long",
            StatusCodes.Status431RequestHeaderFieldsTooLarge => "headers_too_large",
            StatusCodes.Status505HttpVersionNotsupported => "unsupported_http_version",
            _ => null,
        });

    // Kestrel leaves the client's text out of its reasons unless its bad-request log is verbose: "Invalid request target: ''".
    private static string WithoutEmptyDetail(string reason) => reason.EndsWith(": ''", StringComparison.Ordinal) ? reason[..^4] + "." : reason;

    public static OpenAIException UnsupportedContentEncoding(string coding) =>
        new(StatusCodes.Status415UnsupportedMediaType, $"The request body's Content-Encoding '{QuotedText.Of(coding)}' is not supported; send the body uncompressed.",
            InvalidRequestType, null, "unsupported_content_encoding");

    public static OpenAIException UnsupportedCharset(string charset) =>
        new(StatusCodes.Status415UnsupportedMediaType, $"The request body's charset '{QuotedText.Of(charset)}' is not supported; send the JSON body in UTF-8.",
            InvalidRequestType, null, "unsupported_charset");

    public static OpenAIException ModelNotFound(string model) =>
        new(StatusCodes.Status404NotFound, $"The model '{QuotedText.Of(model)}' does not exist or is not served here.", InvalidRequestType, "model", "model_not_found");

    public static OpenAIException InvalidApiKey(string message) =>
        new(StatusCodes.Status401Unauthorized, message, InvalidRequestType, null, "invalid_api_key");

    public static OpenAIException NoLiveWorker(string model) =>
        new(StatusCodes.Status503ServiceUnavailable, $"No live worker serves the model '{QuotedText.Of(model)}' right now; try again shortly.", ServerErrorType, "model", "model_unavailable")
        {
            // About one heartbeat interval: a restarted worker announces itself within it.
            RetryAfter = TimeSpan.FromSeconds(5),
        };

    /// <summary>
    /// A model no worker has announced while the gateway may not have heard every live worker yet (just started, or
    /// after an outage): not a 404, which clients take as final, but a 503 to retry once the gateway knows, in
    /// <paramref name="knownIn"/> (null while it cannot hear heartbeats at all).
    /// </summary>
    public static OpenAIException ModelNotHeardYet(string model, TimeSpan learningFor, TimeSpan? knownIn)
    {
        var state = knownIn is { } remaining
            ? $"for {learningFor.TotalSeconds:0.0} s; it will know in {remaining.TotalSeconds:0.0} s); try again then"
            : $"for {learningFor.TotalSeconds:0.0} s, and it cannot hear their heartbeats yet); try again shortly";
        return new(
            StatusCodes.Status503ServiceUnavailable,
            $"No worker has announced the model '{QuotedText.Of(model)}' yet, and this gateway is still learning which models its workers serve ({state}.",
            ServerErrorType,
            "model",
            "model_unavailable")
        {
            RetryAfter = knownIn ?? TimeSpan.FromSeconds(5),
        };
    }

    public static OpenAIException NotConnected() =>
        new(StatusCodes.Status503ServiceUnavailable, "The gateway is not connected to the message bus yet; try again shortly.", ServerErrorType, null, "bus_unavailable")
        {
            RetryAfter = TimeSpan.FromSeconds(5),
        };

    /// <summary>
    /// The broker kept returning the request's command: no queue was bound to the model's exchange (deleted while its
    /// workers consumed it). Nothing ran it; the workers declare their queue again within seconds.
    /// </summary>
    public static OpenAIException ModelQueueUnroutable(string model) =>
        new(StatusCodes.Status503ServiceUnavailable,
            $"The message broker has no queue for the model '{QuotedText.Of(model)}' right now (the request was returned unroutable and did not run); try again shortly.",
            ServerErrorType, null, FailureCodes.ModelQueueUnroutable)
        {
            RetryAfter = TimeSpan.FromSeconds(5),
            ShouldRetry = true,
        };

    public static OpenAIException ShuttingDown() =>
        new(StatusCodes.Status503ServiceUnavailable, "This gateway is shutting down and takes no new requests; send it again, another gateway will serve it.", ServerErrorType, null, "server_shutting_down")
        {
            RetryAfter = TimeSpan.FromSeconds(1),
        };

    /// <summary>A request still open when the gateway's drain ended: another gateway can serve it.</summary>
    public static OpenAIException Interrupted() =>
        new(StatusCodes.Status503ServiceUnavailable, "This gateway shut down before the answer was complete; send the request again, another gateway will serve it.", ServerErrorType, null, "server_shutting_down")
        {
            RetryAfter = TimeSpan.FromSeconds(1),
        };

    /// <summary>The request used up Gateway:RequestTimeout: an SDK's retry would spend as long again, so it is told not to.</summary>
    public static OpenAIException Timeout(TimeSpan limit) =>
        new(StatusCodes.Status504GatewayTimeout, $"The request did not complete within {limit.TotalSeconds:0.###} s and was cancelled.", ServerErrorType, null, "timeout")
        {
            ShouldRetry = false,
        };

    public static OpenAIException Internal() =>
        new(StatusCodes.Status500InternalServerError, "The server failed to process the request; it has been logged.", ServerErrorType, null, "internal_error");

    public static OpenAIException NotImplementedPath(string path) =>
        new(StatusCodes.Status404NotFound, $"The operation '{path}' is not available for this model.", InvalidRequestType, null, "unsupported_operation");
}
