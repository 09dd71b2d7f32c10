using System.Diagnostics;
using InferenceCluster.Contracts;
using InferenceCluster.Gateway.Hosting;
using InferenceCluster.Gateway.OpenAI;
using InferenceCluster.Gateway.Policy;
using InferenceCluster.Gateway.Telemetry;
using InferenceCluster.Gateway.Workers;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace InferenceCluster.Gateway.Dispatch;

/// <summary>
/// Answers <c>POST /v1/completions</c> for a model of the worker pool: raw prompts (no chat template), one or
/// several, each with n choices numbered prompt by prompt; otherwise exactly as a chat request.
/// </summary>
internal sealed partial class TextCompletionHandler(
    WorkerRegistry workers,
    ChoiceLauncher launcher,
    IOptions<GatewayOptions> options,
    GenerationPolicy policy,
    TimeProvider time,
    ILogger<TextCompletionHandler> logger)
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
        var validated = CompletionRequestValidator.Validate(CompletionRequestValidator.Read(body));
        var decision = policy.Decide(context, validated.Model, validated.Sampling);
        var request = validated with { Model = decision.Model };
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

        using var activity = GatewayTelemetry.StartChat(request.Model, config, request.Stream, request.User, "text_completion");
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

    private async Task AnswerAsync(HttpContext context, ValidatedCompletionRequest request, GenerationConfig config, ModelAvailability availability, Activity? activity)
    {
        var max = options.Value.MaxChoices;
        if (request.Prompts.Count > max)
        {
            throw OpenAIException.InvalidValue("prompt", $"At most {max} prompts per request on this server; got {request.Prompts.Count}.");
        }

        if (request.N * request.Prompts.Count > max)
        {
            throw OpenAIException.InvalidValue("n", $"'n' times the number of prompts must be at most {max} on this server; got {request.N * request.Prompts.Count}.");
        }

        var jobs = request.Prompts
            .SelectMany((prompt, p) => ChoiceJob.For(p * request.N, p, null, prompt, config, request.N))
            .ToList();
        await launcher.AnswerAsync(
            new AnswerRequest(context, TextCompletionWire.Instance, request.Model, jobs, request.Stream, request.IncludeUsage, config.Logprobs, SplitReasoning: false),
            availability,
            time.GetUtcNow().ToUnixTimeSeconds(),
            activity).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Completions request answered with {Status} ({Code}, param {Param}): {Reason}")]
    private partial void LogRejected(int status, string? code, string? param, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Completions request ended early: the client went away")]
    private partial void LogClientLeft();
}
