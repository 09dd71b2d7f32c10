using System.Text.Json;
using InferenceCluster.Contracts;
using InferenceCluster.Gateway.Auth;
using InferenceCluster.Gateway.OpenAI;
using InferenceCluster.Gateway.OpenAI.ResponsesApi;
using InferenceCluster.Gateway.Policy;
using InferenceCluster.Gateway.Responses;
using InferenceCluster.Gateway.Routing;
using InferenceCluster.Gateway.Telemetry;
using InferenceCluster.Gateway.Workers;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Model;

namespace InferenceCluster.Gateway.Endpoints;

/// <summary>
/// A step of YARP's proxy pipeline. When the matched route's cluster is the worker pool
/// (<c>Metadata: { "Dispatch": "Queue" }</c>) it answers the request itself and does not call the rest of the
/// pipeline; any other cluster goes on to YARP's HTTP forwarder. A chat, text completion or Responses request is
/// validated, its config resolved, the model checked to be served, the cache tried, the rest dispatched to the queue
/// and the result relayed. Errors are answered in OpenAI's shape while the response has not started, and a client
/// that left is noted rather than failed.
/// </summary>
internal sealed partial class CompletionHandler(
    RequestDelegate next,
    ChoiceLauncher launcher,
    WorkerRegistry workers,
    ModelCatalog catalog,
    GenerationPolicy policy,
    ReasoningSeal seal,
    ILogger<CompletionHandler> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!ModelRouting.IsQueueCluster(context.GetReverseProxyFeature().Cluster.Config.Metadata))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        // The routing middleware parsed the body of every operation that names a model; nothing else reaches the pool.
        var path = context.Request.Path.Value ?? string.Empty;
        var body = context.Features.Get<JsonDocument>();
        CompletionOperation? operation = ModelRouting.OperationPath(path).ToLowerInvariant() switch
        {
            "/v1/chat/completions" => CompletionOperation.Chat,
            "/v1/completions" => CompletionOperation.TextCompletion,
            "/v1/responses" => CompletionOperation.Responses,
            _ => null,
        };
        if (body is null || operation is null)
        {
            await OpenAIErrorWriter.WriteAsync(context, OpenAIException.NotImplementedPath(path)).ConfigureAwait(false);
            return;
        }

        await HandleAsync(context, operation.Value, body.RootElement).ConfigureAwait(false);
    }

    private async Task HandleAsync(HttpContext context, CompletionOperation operation, JsonElement body)
    {
        try
        {
            await HandleCoreAsync(context, operation, body).ConfigureAwait(false);
        }
        catch (OpenAIException error) when (!context.Response.HasStarted)
        {
            // The param may be a member name the client chose: logged as the message quotes it, never raw.
            LogRejected(operation, error.StatusCode, error.Code, error.Param is { } param ? QuotedText.Of(param) : null, error.Message);
            GatewayMetrics.RecordRejected(error);
            await OpenAIErrorWriter.WriteAsync(context, error).ConfigureAwait(false);
        }
        catch (Exception ex) when (context.RequestAborted.IsCancellationRequested && ex is OperationCanceledException or IOException)
        {
            LogClientLeft(operation);
        }
    }

    private async Task HandleCoreAsync(HttpContext context, CompletionOperation operation, JsonElement body)
    {
        var (validated, wire) = Read(operation, body);
        var key = context.Features.Get<ApiKeyIdentity>();
        var profile = policy.Profile(validated.Model);
        var request = validated with { Model = profile.Model };

        // Before the config is decided, which the answer's headers report: a model not served gets none of them.
        var availability = RequireServed(request.Model);
        var (config, adjustments) = policy.Decide(context, key?.Policy, request, profile);
        var spanOperation = operation == CompletionOperation.TextCompletion ? "text_completion" : "chat";
        using var activity = GatewayTelemetry.StartChat(request.Model, config, request.Stream, request.EndUserId, spanOperation);
        activity.RecordPolicy(key?.Name, profile.Name, adjustments);
        try
        {
            await launcher.AnswerAsync(context, wire(config), request, config, profile.Name, availability, activity).ConfigureAwait(false);
        }
        catch (OpenAIException error)
        {
            activity.RecordError(error.Code ?? error.Type, error.Message);
            throw;
        }
    }

    /// <summary>The request, read and validated, and the shape of its answer once its config is known.</summary>
    private (ValidatedRequest Request, Func<GenerationConfig, ICompletionWire> Wire) Read(CompletionOperation operation, JsonElement body)
    {
        switch (operation)
        {
            case CompletionOperation.Chat:
                return (RequestValidator.Chat(body), _ => ChatWire.Instance);
            case CompletionOperation.TextCompletion:
                return (RequestValidator.TextCompletion(body), _ => TextCompletionWire.Instance);
            default:
                var responses = ResponsesRequestValidator.Validate(body);
                return (responses.Request, config => new ResponsesWire(responses, config, seal));
        }
    }

    /// <summary>The model's workers; for a model nobody announced, the catalog's answer; 503 when none of its workers is live.</summary>
    private ModelAvailability RequireServed(string model)
    {
        var availability = workers.Find(model);
        if (!availability.IsKnown)
        {
            throw catalog.NotServed(model);
        }

        return availability.LiveWorkers == 0 ? throw OpenAIException.NoLiveWorker(model) : availability;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Operation} request answered with {Status} ({Code}, param {Param}): {Reason}")]
    private partial void LogRejected(CompletionOperation operation, int status, string? code, string? param, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Operation} request ended early: the client went away")]
    private partial void LogClientLeft(CompletionOperation operation);
}
