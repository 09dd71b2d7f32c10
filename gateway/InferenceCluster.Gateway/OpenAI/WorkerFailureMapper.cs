using InferenceCluster.Contracts;
using InferenceCluster.Gateway.OpenAI;
using Microsoft.AspNetCore.Http;

namespace InferenceCluster.Gateway.OpenAI;

/// <summary>Turns a worker's <see cref="CompletionFailed"/> into the edge's error: the caller's fault is a 4xx, the cluster's a 5xx.</summary>
internal static class WorkerFailureMapper
{
    public static OpenAIException ToException(CompletionFailed failed)
    {
        ArgumentNullException.ThrowIfNull(failed);
        return failed.Code switch
        {
            FailureCodes.ContextLengthExceeded => new OpenAIException(
                StatusCodes.Status400BadRequest, failed.Message, OpenAIException.InvalidRequestType, failed.Param ?? "messages", failed.Code),
            FailureCodes.InvalidConfig => new OpenAIException(
                StatusCodes.Status400BadRequest, failed.Message, OpenAIException.InvalidRequestType, failed.Param, failed.Code),
            FailureCodes.DeadlineExceeded => new OpenAIException(
                StatusCodes.Status504GatewayTimeout, failed.Message, OpenAIException.ServerErrorType, null, "timeout"),
            _ when failed.Retryable => new OpenAIException(
                StatusCodes.Status503ServiceUnavailable, failed.Message, OpenAIException.ServerErrorType, failed.Param, failed.Code),
            _ => new OpenAIException(
                StatusCodes.Status502BadGateway, failed.Message, OpenAIException.ServerErrorType, failed.Param, failed.Code),
        };
    }
}
