namespace InferenceCluster.Worker.Telemetry;

/// <summary>
/// Span attribute names: OpenTelemetry's GenAI semantic conventions where they have a name, the
/// <c>inference_cluster.</c> prefix (as the gateway's spans) for settings they do not cover.
/// </summary>
internal static class GenAiAttributes
{
    public const string OperationName = "gen_ai.operation.name";
    public const string RequestModel = "gen_ai.request.model";
    public const string RequestTemperature = "gen_ai.request.temperature";
    public const string RequestTopP = "gen_ai.request.top_p";
    public const string RequestTopK = "gen_ai.request.top_k";
    public const string RequestMaxTokens = "gen_ai.request.max_tokens";
    public const string RequestSeed = "gen_ai.request.seed";
    public const string RequestStopSequences = "gen_ai.request.stop_sequences";
    public const string UsageInputTokens = "gen_ai.usage.input_tokens";
    public const string UsageOutputTokens = "gen_ai.usage.output_tokens";
    public const string ResponseFinishReasons = "gen_ai.response.finish_reasons";
    public const string ErrorType = "error.type";

    public const string RequestId = "inference_cluster.request_id";
    public const string RequestStream = "inference_cluster.request.stream";
    public const string RequestDoSample = "inference_cluster.request.do_sample";
    public const string RequestMinTokens = "inference_cluster.request.min_tokens";
    public const string RequestMaxTokensFitToContext = "inference_cluster.request.max_tokens_fit_to_context";
    public const string AppliedMaxTokens = "inference_cluster.request.applied_max_tokens";
    public const string RequestMinTokensFitToContext = "inference_cluster.request.min_tokens_fit_to_context";
    public const string AppliedMinTokens = "inference_cluster.request.applied_min_tokens";
    public const string RequestRepetitionPenalty = "inference_cluster.request.repetition_penalty";
    public const string RequestNoRepeatNgramSize = "inference_cluster.request.no_repeat_ngram_size";
    public const string RequestLogprobs = "inference_cluster.request.logprobs";
    public const string RequestTopLogprobs = "inference_cluster.request.top_logprobs";
    public const string UsageCachedInputTokens = "inference_cluster.usage.cached_input_tokens";
    public const string EngineQueued = "inference_cluster.engine.queued_ms";
}
