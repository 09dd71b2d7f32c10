using System.Diagnostics;
using InferenceCluster.Gateway.OpenAI;
using InferenceCluster.Gateway.Telemetry;
using InferenceCluster.Gateway.Workers;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace InferenceCluster.Gateway.Endpoints;

/// <summary>
/// What both completion endpoints share: errors answered in OpenAI's shape while the response has not
/// started, a client that left noted rather than failed, the model checked as served, errors put on the span.
/// </summary>
internal sealed partial class CompletionEndpoint(WorkerRegistry workers, ILogger<CompletionEndpoint> logger)
{
    public async Task RunAsync(HttpContext context, string endpoint, Func<Task> handle)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(handle);
        try
        {
            await handle().ConfigureAwait(false);
        }
        catch (OpenAIException error) when (!context.Response.HasStarted)
        {
            LogRejected(endpoint, error.StatusCode, error.Code, error.Param, error.Message);
            await OpenAIErrorWriter.WriteAsync(context, error).ConfigureAwait(false);
        }
        catch (Exception ex) when (context.RequestAborted.IsCancellationRequested && ex is OperationCanceledException or IOException)
        {
            LogClientLeft(endpoint);
        }
    }

    /// <summary>The model's workers, or 404 for a model nobody announced and 503 when none of its workers is live.</summary>
    public ModelAvailability RequireServed(string model)
    {
        var availability = workers.Find(model);
        if (!availability.IsKnown)
        {
            throw OpenAIException.ModelNotFound(model);
        }

        return availability.LiveWorkers == 0 ? throw OpenAIException.NoLiveWorker(model) : availability;
    }

    /// <summary>Runs <paramref name="answer"/>, recording an OpenAI error on the request's span before it propagates.</summary>
    public static async Task TraceErrorsAsync(Activity? activity, Func<Task> answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        try
        {
            await answer().ConfigureAwait(false);
        }
        catch (OpenAIException error)
        {
            activity.RecordError(error.Code ?? error.Type, error.Message);
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Endpoint} request answered with {Status} ({Code}, param {Param}): {Reason}")]
    private partial void LogRejected(string endpoint, int status, string? code, string? param, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Endpoint} request ended early: the client went away")]
    private partial void LogClientLeft(string endpoint);
}
