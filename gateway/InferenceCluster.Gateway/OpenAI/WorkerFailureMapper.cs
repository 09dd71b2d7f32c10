using System.Text.RegularExpressions;
using InferenceCluster.Contracts;
using Microsoft.AspNetCore.Http;

namespace InferenceCluster.Gateway.OpenAI;

/// <summary>Turns a worker's <see cref="CompletionFailed"/> into the edge's error: the caller's fault is a 4xx, the cluster's a 5xx.</summary>
internal static class WorkerFailureMapper
{
    /// <param name="failed">The worker's failure; its parameter, if any, is named as chat names it, in its param and in its message.</param>
    /// <param name="clientParam">The name the client's operation gives such a parameter.</param>
    public static OpenAIException ToException(CompletionFailed failed, Func<string, string> clientParam)
    {
        ArgumentNullException.ThrowIfNull(failed);
        ArgumentNullException.ThrowIfNull(clientParam);
        var param = failed.Param is { } named ? clientParam(named) : null;
        var message = param is not null && param != failed.Param ? Renamed(failed.Message, failed.Param!, param) : failed.Message;
        return failed.Code switch
        {
            FailureCodes.ContextLengthExceeded => new OpenAIException(
                StatusCodes.Status400BadRequest, message, OpenAIException.InvalidRequestType, param ?? clientParam("messages"), failed.Code),
            FailureCodes.InvalidConfig => new OpenAIException(
                StatusCodes.Status400BadRequest, message, OpenAIException.InvalidRequestType, param, failed.Code),
            // The request used up its whole deadline: a retry would run it again for as long, and fail as it did.
            FailureCodes.DeadlineExceeded => new OpenAIException(
                StatusCodes.Status504GatewayTimeout, message, OpenAIException.ServerErrorType, null, "timeout") { ShouldRetry = false },
            _ when failed.Retryable => new OpenAIException(
                StatusCodes.Status503ServiceUnavailable, message, OpenAIException.ServerErrorType, param, failed.Code) { ShouldRetry = true },
            _ => new OpenAIException(
                StatusCodes.Status502BadGateway, message, OpenAIException.ServerErrorType, param, failed.Code) { ShouldRetry = false },
        };
    }

    /// <summary>
    /// The worker's message with the parameter it names spelled as the client spelled it ("plus max_tokens" reads
    /// "plus max_output_tokens" on the Responses API): its first mention standing as a word of its own (not part of a
    /// path such as "/properties/response_format"). Only the first, since the rest of a message may quote the engine
    /// or the client's own schema, which must reach the client as written.
    /// </summary>
    private static string Renamed(string message, string workerName, string clientName) =>
        new Regex($@"(?<![\w./]){Regex.Escape(workerName)}(?![\w])", RegexOptions.CultureInvariant).Replace(message, clientName.Replace("$", "$$", StringComparison.Ordinal), 1);
}
