using InferenceCluster.Contracts;
using InferenceCluster.Gateway.OpenAI;
using Microsoft.AspNetCore.Http;

namespace InferenceCluster.Gateway.OpenAI;

/// <summary>Turns a worker's <see cref="CompletionFailed"/> into the edge's error: the caller's fault is a 4xx, the cluster's a 5xx.</summary>
internal static class WorkerFailureMapper
{
    /// <param name="failed">The worker's failure; its parameter, if any, is named as chat names it.</param>
    /// <param name="clientParam">The name the client's operation gives such a parameter.</param>
    public static OpenAIException ToException(CompletionFailed failed, Func<string, string> clientParam)
    {
        ArgumentNullException.ThrowIfNull(failed);
        ArgumentNullException.ThrowIfNull(clientParam);
        var param = failed.Param is { } named ? clientParam(named) : null;
        return failed.Code switch
        {
            FailureCodes.ContextLengthExceeded => new OpenAIException(
                StatusCodes.Status400BadRequest, failed.Message, OpenAIException.InvalidRequestType, param ?? clientParam("messages"), failed.Code),
            FailureCodes.InvalidConfig => new OpenAIException(
                StatusCodes.Status400BadRequest, failed.Message, OpenAIException.InvalidRequestType, param, failed.Code),
            FailureCodes.DeadlineExceeded => new OpenAIException(
                StatusCodes.Status504GatewayTimeout, failed.Message, OpenAIException.ServerErrorType, null, "timeout"),
            _ when failed.Retryable => new OpenAIException(
                StatusCodes.Status503ServiceUnavailable, failed.Message, OpenAIException.ServerErrorType, param, failed.Code),
            _ => new OpenAIException(
                StatusCodes.Status502BadGateway, failed.Message, OpenAIException.ServerErrorType, param, failed.Code),
        };
    }
}
