using System.Diagnostics;
using InferenceCluster.Contracts;
using InferenceCluster.Gateway.Caching;
using InferenceCluster.Gateway.OpenAI;
using InferenceCluster.Gateway.Policy;
using InferenceCluster.Gateway.Streaming;
using InferenceCluster.Gateway.Telemetry;
using InferenceCluster.Gateway.Workers;
using MassTransit;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace InferenceCluster.Gateway.Dispatch;

/// <summary>
/// Answers <c>POST /v1/chat/completions</c> for a model of the worker pool: validate, resolve the config,
/// check the model is served, try the cache, dispatch to the queue and relay the result.
/// </summary>
internal sealed partial class ChatCompletionHandler(
    WorkerRegistry workers,
    CompletionDispatcher dispatcher,
    ICompletionCache cache,
    GenerationPolicy policy,
    ModelAdmission admission,
    TimeProvider time,
    ILogger<ChatCompletionHandler> logger)
{
    public async Task HandleAsync(HttpContext context, ReadOnlyMemory<byte> body)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            await HandleCoreAsync(context, body).ConfigureAwait(false);
        }
        catch (OpenAIException error) when (!context.Response.HasStarted)
        {
            LogRejected(error.StatusCode, error.Code, error.Param, error.Message);
            await OpenAIErrorWriter.WriteAsync(context, error).ConfigureAwait(false);
        }
        catch (Exception ex) when (context.RequestAborted.IsCancellationRequested && ex is OperationCanceledException or IOException)
        {
            LogClientLeft();
        }
    }

    private async Task HandleCoreAsync(HttpContext context, ReadOnlyMemory<byte> body)
    {
        var decision = policy.Decide(context, ChatRequestValidator.Validate(ChatRequestReader.Read(body)));
        var request = decision.Request;
        var config = decision.Resolved.Config;

        var availability = workers.Find(request.Model);
        if (!availability.IsKnown)
        {
            throw OpenAIException.ModelNotFound(request.Model);
        }

        if (availability.LiveWorkers == 0)
        {
            throw OpenAIException.NoLiveWorker(request.Model);
        }

        using var activity = GatewayTelemetry.StartChat(request.Model, config, request.Stream, request.User);
        activity.RecordPolicy(decision.KeyName, decision.Profile, decision.Resolved.Adjustments);
        try
        {
            await AnswerAsync(context, request, config, availability, activity).ConfigureAwait(false);
        }
        catch (OpenAIException error)
        {
            activity.RecordError(error.Code ?? error.Type, error.Message);
            throw;
        }
    }

    private async Task AnswerAsync(HttpContext context, ValidatedChatRequest request, GenerationConfig config, ModelAvailability availability, Activity? activity)
    {
        var created = time.GetUtcNow().ToUnixTimeSeconds();

        if (!CompletionCacheKey.IsCacheable(config) || availability.Revision is null)
        {
            // Unseeded sampling must differ per call; workers disagreeing on the revision have no single answer.
            activity.RecordCache("bypass");
        }
        else
        {
            var key = CompletionCacheKey.Compute(request.Model, availability.Revision, request.Messages, null, config);
            var cached = await cache.GetAsync(key, context.RequestAborted).ConfigureAwait(false);
            activity.RecordCache(cached is null ? "miss" : "hit");
            if (cached is not null)
            {
                var replay = new ChatExchange(context, request, config, NewId.NextGuid(), created);
                activity.RecordRequestId(replay.Id);
                activity.RecordResult(cached.FinishReason, cached.PromptTokens, cached.CompletionTokens, null);
                await (request.Stream ? StreamingChatResponder.ReplayAsync(replay, cached) : JsonChatResponder.ReplayAsync(replay, cached)).ConfigureAwait(false);
                return;
            }
        }

        using var slot = admission.Enter(request.Model);
        await using var session = await dispatcher.StartAsync(request.Model, request.Messages, config, request.Stream, context.RequestAborted).ConfigureAwait(false);
        var exchange = new ChatExchange(context, request, config, session.RequestId, created);
        activity.RecordRequestId(session.RequestId);

        var outcome = request.Stream
            ? await StreamingChatResponder.RunAsync(exchange, session).ConfigureAwait(false)
            : await JsonChatResponder.RunAsync(exchange, session).ConfigureAwait(false);
        if (outcome is null)
        {
            activity.RecordError("failed_in_stream", "The request failed after its stream started; the error went out as a stream event.");
            return;
        }

        activity.RecordResult(outcome.FinishReason, outcome.Usage.PromptTokens, outcome.Usage.CompletionTokens, outcome.WorkerId);
        if (CompletionCacheKey.IsCacheable(config)
            && outcome.FinishReason != FinishReason.Cancelled
            && !string.IsNullOrEmpty(outcome.ModelRevision))
        {
            // Keyed by the revision that actually produced the text, which is what a later lookup must match.
            var key = CompletionCacheKey.Compute(request.Model, outcome.ModelRevision, request.Messages, null, config);
            await cache.SetAsync(
                key,
                new CachedCompletion(outcome.Text, outcome.FinishReason, outcome.Usage.PromptTokens, outcome.Usage.CompletionTokens, outcome.ModelRevision, outcome.Logprobs),
                CancellationToken.None).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Chat request answered with {Status} ({Code}, param {Param}): {Reason}")]
    private partial void LogRejected(int status, string? code, string? param, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Chat request ended early: the client went away")]
    private partial void LogClientLeft();
}
