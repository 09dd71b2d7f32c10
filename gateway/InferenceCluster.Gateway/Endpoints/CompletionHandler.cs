using System.Diagnostics;
using System.Text.Json;
using InferenceCluster.Contracts;
using InferenceCluster.Gateway.Auth;
using InferenceCluster.Gateway.Configuration;
using InferenceCluster.Gateway.Dispatch;
using InferenceCluster.Gateway.OpenAI;
using InferenceCluster.Gateway.OpenAI.ResponsesApi;
using InferenceCluster.Gateway.Policy;
using InferenceCluster.Gateway.Responses;
using InferenceCluster.Gateway.Routing;
using InferenceCluster.Gateway.Telemetry;
using InferenceCluster.Gateway.Workers;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
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
    GenerationPolicy policy,
    IOptions<GatewayOptions> options,
    TimeProvider time,
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
        CompletionOperation? operation = path.ToLowerInvariant() switch
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
            LogRejected(operation, error.StatusCode, error.Code, error.Param, error.Message);
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
        var decision = policy.Decide(context, key?.Name, key?.Policy, validated);
        var request = validated with { Model = decision.Model };
        var config = decision.Config;

        var availability = RequireServed(request.Model);
        var spanOperation = operation == CompletionOperation.TextCompletion ? "text_completion" : "chat";
        using var activity = GatewayTelemetry.StartChat(request.Model, config, request.Stream, request.User, spanOperation);
        activity.RecordPolicy(decision.KeyName, decision.Profile, decision.Adjustments);
        try
        {
            await AnswerAsync(context, request, wire(config), config, availability, decision.Profile, activity).ConfigureAwait(false);
        }
        catch (OpenAIException error)
        {
            activity.RecordError(error.Code ?? error.Type, error.Message);
            throw;
        }
    }

    /// <summary>The request, read and validated, and the shape of its answer once its config is known.</summary>
    private static (ValidatedRequest Request, Func<GenerationConfig, ICompletionWire> Wire) Read(CompletionOperation operation, JsonElement body)
    {
        switch (operation)
        {
            case CompletionOperation.Chat:
                return (RequestValidator.Chat(body), _ => ChatWire.Instance);
            case CompletionOperation.TextCompletion:
                return (RequestValidator.TextCompletion(body), _ => TextCompletionWire.Instance);
            default:
                var responses = ResponsesRequestValidator.Validate(body);
                return (responses.Request, config => new ResponsesWire(responses, config));
        }
    }

    private Task AnswerAsync(
        HttpContext context, ValidatedRequest request, ICompletionWire wire, GenerationConfig config, ModelAvailability availability, string? profile,
        Activity? activity)
    {
        var chat = request.Messages is not null;
        var answer = new AnswerRequest(
            context,
            wire,
            request.Model,
            Jobs(request, config, options.Value.MaxChoices),
            request.Stream,
            request.IncludeUsage,
            config.Logprobs,
            // Guided output is the constrained answer itself, with no reasoning before it; text completions are raw.
            SplitReasoning: chat && config.Guidance is null && options.Value.SeparateReasoning,
            Profile: profile);
        return launcher.AnswerAsync(answer, availability, time.GetUtcNow().ToUnixTimeSeconds(), activity);
    }

    /// <summary>Each prompt's (or the chat's) n choices, numbered prompt by prompt, within <c>Gateway:MaxChoices</c>.</summary>
    private static List<ChoiceJob> Jobs(ValidatedRequest request, GenerationConfig config, int max)
    {
        if (request.Messages is { } messages)
        {
            return request.N > max
                ? throw OpenAIException.InvalidValue("n", $"'n' must be at most {max} on this server; got {request.N}.")
                : [.. ChoiceJob.For(0, 0, messages, null, config, request.N)];
        }

        var prompts = request.Prompts ?? [];
        if (prompts.Count > max)
        {
            throw OpenAIException.InvalidValue("prompt", $"At most {max} prompts per request on this server; got {prompts.Count}.");
        }

        // In long: a huge n times several prompts must not wrap around to a small number.
        var choices = (long)request.N * prompts.Count;
        if (choices > max)
        {
            throw OpenAIException.InvalidValue("n", $"'n' times the number of prompts must be at most {max} on this server; got {choices}.");
        }

        return [.. prompts.SelectMany((prompt, p) => ChoiceJob.For(p * request.N, p, null, prompt, config, request.N))];
    }

    /// <summary>The model's workers, or 404 for a model nobody announced and 503 when none of its workers is live.</summary>
    private ModelAvailability RequireServed(string model)
    {
        var availability = workers.Find(model);
        if (!availability.IsKnown)
        {
            throw OpenAIException.ModelNotFound(model);
        }

        return availability.LiveWorkers == 0 ? throw OpenAIException.NoLiveWorker(model) : availability;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Operation} request answered with {Status} ({Code}, param {Param}): {Reason}")]
    private partial void LogRejected(CompletionOperation operation, int status, string? code, string? param, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Operation} request ended early: the client went away")]
    private partial void LogClientLeft(CompletionOperation operation);
}
