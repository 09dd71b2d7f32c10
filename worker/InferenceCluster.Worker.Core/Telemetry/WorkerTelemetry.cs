using System.Diagnostics;
using InferenceCluster.Contracts;

namespace InferenceCluster.Worker.Telemetry;

/// <summary>The worker's spans: queue.wait, prefill and decode, nested under MassTransit's consume span.</summary>
internal static class WorkerTelemetry
{
    public const string SourceName = "InferenceCluster.Worker";

    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>
    /// The time a request spent in the broker, recorded after the fact as a span with an explicit start:
    /// nobody in the worker was running while it waited.
    /// </summary>
    public static void RecordQueueWait(GenerateCompletion message, DateTimeOffset consumeStart)
    {
        var start = message.EnqueuedAt <= consumeStart ? message.EnqueuedAt : consumeStart;
        using var activity = Source.StartActivity("queue.wait", ActivityKind.Internal, parentContext: default, startTime: start);
        if (activity is null)
        {
            return;
        }

        activity.SetTag(GenAiAttributes.RequestId, message.RequestId);
        activity.SetEndTime(consumeStart.UtcDateTime);
    }

    /// <summary>The request's operation in OpenTelemetry's GenAI conventions.</summary>
    public static string OperationName(GenerateCompletion message) => message.Messages is null ? "text_completion" : "chat";

    /// <summary>Starts a phase span carrying the request's complete sampling settings.</summary>
    public static Activity? StartPhase(string name, GenerateCompletion message)
    {
        var activity = Source.StartActivity(name, ActivityKind.Internal);
        TagRequest(activity, message);
        return activity;
    }

    /// <summary>Every sampling setting of the request, so a trace shows exactly what the sampler was told.</summary>
    public static void TagRequest(Activity? activity, GenerateCompletion message)
    {
        if (activity is null || !activity.IsAllDataRequested)
        {
            return;
        }

        var config = message.Config;
        activity.SetTag(GenAiAttributes.RequestId, message.RequestId);
        activity.SetTag(GenAiAttributes.OperationName, OperationName(message));
        activity.SetTag(GenAiAttributes.RequestModel, message.Model);
        activity.SetTag(GenAiAttributes.RequestStream, message.Stream);
        activity.SetTag(GenAiAttributes.RequestDoSample, config.DoSample);
        activity.SetTag(GenAiAttributes.RequestTemperature, config.Temperature);
        activity.SetTag(GenAiAttributes.RequestTopP, config.TopP);
        activity.SetTag(GenAiAttributes.RequestTopK, config.TopK);
        activity.SetTag(GenAiAttributes.RequestMaxTokens, config.MaxTokens);
        activity.SetTag(GenAiAttributes.RequestMaxTokensFitToContext, config.FitMaxTokensToContext);
        activity.SetTag(GenAiAttributes.RequestMinTokens, config.MinTokens);
        activity.SetTag(GenAiAttributes.RequestMinTokensFitToContext, config.FitMinTokensToContext);
        activity.SetTag(GenAiAttributes.RequestRepetitionPenalty, config.RepetitionPenalty);
        activity.SetTag(GenAiAttributes.RequestNoRepeatNgramSize, config.NoRepeatNgramSize);
        activity.SetTag(GenAiAttributes.RequestLogprobs, config.Logprobs);
        activity.SetTag(GenAiAttributes.RequestTopLogprobs, config.TopLogprobs);
        if (config.Seed is { } seed)
        {
            activity.SetTag(GenAiAttributes.RequestSeed, seed);
        }

        if (config.Stop.Count > 0)
        {
            activity.SetTag(GenAiAttributes.RequestStopSequences, config.Stop.ToArray());
        }
    }

    /// <summary>
    /// Token counts, the finish reason and the max_tokens and min_tokens the engine applied (gen_ai.request.max_tokens
    /// and inference_cluster.request.min_tokens stay the request's own), once known.
    /// </summary>
    public static void TagUsage(
        Activity? activity, CompletionUsage usage, FinishReason finishReason, int? appliedMaxTokens = null, int? appliedMinTokens = null)
    {
        if (activity is null || !activity.IsAllDataRequested)
        {
            return;
        }

        activity.SetTag(GenAiAttributes.UsageInputTokens, usage.PromptTokens);
        activity.SetTag(GenAiAttributes.UsageOutputTokens, usage.CompletionTokens);
        activity.SetTag(GenAiAttributes.UsageCachedInputTokens, usage.CachedPromptTokens);
        activity.SetTag(GenAiAttributes.ResponseFinishReasons, new[] { finishReason.ToString().ToLowerInvariant() });
        if (appliedMaxTokens is { } applied)
        {
            activity.SetTag(GenAiAttributes.AppliedMaxTokens, applied);
        }

        if (appliedMinTokens is { } floor)
        {
            activity.SetTag(GenAiAttributes.AppliedMinTokens, floor);
        }
    }

    /// <summary>Marks a span failed with the code the caller receives.</summary>
    public static void TagFailure(Activity? activity, string code, string message)
    {
        activity?.SetStatus(ActivityStatusCode.Error, message);
        activity?.SetTag(GenAiAttributes.ErrorType, code);
    }
}
