using System.Diagnostics;
using InferenceCluster.Contracts;
using InferenceCluster.Gateway.OpenAI;

namespace InferenceCluster.Gateway.Telemetry;

/// <summary>
/// The gateway's spans. Attribute names follow the OpenTelemetry GenAI semantic conventions where one
/// exists; the rest are prefixed <c>inference_cluster.</c>.
/// </summary>
internal static class GatewayTelemetry
{
    public const string SourceName = "InferenceCluster.Gateway";

    public const string CacheResultAttribute = "inference_cluster.cache.result";

    private static readonly ActivitySource Source = new(SourceName);

    /// <summary>The span around cache lookup, dispatch and the wait for the result, carrying the request's own settings.</summary>
    public static Activity? StartChat(string model, GenerationConfig config, bool stream, string? user, string operation = "chat")
    {
        ArgumentNullException.ThrowIfNull(config);
        var activity = Source.StartActivity($"{operation} {model}", ActivityKind.Client);
        if (activity is null)
        {
            return null;
        }

        activity.SetTag("gen_ai.operation.name", operation);
        activity.SetTag("gen_ai.request.model", model);
        activity.SetTag("gen_ai.request.temperature", config.Temperature);
        activity.SetTag("gen_ai.request.top_p", config.TopP);
        activity.SetTag("gen_ai.request.top_k", config.TopK);
        activity.SetTag("gen_ai.request.max_tokens", config.MaxTokens);
        activity.SetTag("gen_ai.request.seed", config.Seed);
        activity.SetTag("gen_ai.request.stop_sequences", config.Stop.ToArray());
        activity.SetTag("inference_cluster.request.do_sample", config.DoSample);
        activity.SetTag("inference_cluster.request.min_tokens", config.MinTokens);
        activity.SetTag("inference_cluster.request.repetition_penalty", config.RepetitionPenalty);
        activity.SetTag("inference_cluster.request.logprobs", config.Logprobs);
        activity.SetTag("inference_cluster.request.stream", stream);
        if (user is not null)
        {
            activity.SetTag("enduser.id", user);
        }

        return activity;
    }

    public static void RecordRequestId(this Activity? activity, Guid requestId) =>
        activity?.SetTag("gen_ai.response.id", ChatIds.CompletionId(requestId));

    public static void RecordCache(this Activity? activity, string result) => activity?.SetTag(CacheResultAttribute, result);

    public static void RecordResult(this Activity? activity, FinishReason finishReason, int promptTokens, int completionTokens, string? workerId)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetTag("gen_ai.response.finish_reasons", new[] { ChatIds.FinishReason(finishReason) });
        activity.SetTag("gen_ai.usage.input_tokens", promptTokens);
        activity.SetTag("gen_ai.usage.output_tokens", completionTokens);
        if (workerId is not null)
        {
            activity.SetTag("inference_cluster.worker.id", workerId);
        }
    }

    public static void RecordError(this Activity? activity, string code, string message)
    {
        activity?.SetTag("error.type", code);
        activity?.SetStatus(ActivityStatusCode.Error, message);
    }
}
