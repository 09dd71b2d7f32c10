namespace InferenceCluster.ServiceDefaults.Telemetry;

/// <summary>
/// Metric attribute names shared by gateway and worker: OpenTelemetry's GenAI semantic conventions where they
/// name the thing, otherwise the project's one prefix, <c>inference_cluster.</c>.
/// </summary>
public static class TelemetryAttributes
{
    /// <summary><c>chat</c> or <c>text_completion</c>.</summary>
    public const string OperationName = "gen_ai.operation.name";

    /// <summary>The model id the request addressed.</summary>
    public const string RequestModel = "gen_ai.request.model";

    /// <summary>Why the generation ended (<c>stop</c>, <c>length</c>, …); one value per measurement.</summary>
    public const string ResponseFinishReasons = "gen_ai.response.finish_reasons";

    /// <summary><c>input</c> or <c>output</c>.</summary>
    public const string TokenType = "gen_ai.token.type";

    /// <summary>The error code a failed request was answered with.</summary>
    public const string ErrorType = "error.type";

    /// <summary>The named generation profile the request's settings came from (<c>none</c> without one).</summary>
    public const string Profile = "inference_cluster.profile";

    /// <summary>The temperature band of the request's settings (see <see cref="TemperatureBand"/>).</summary>
    public const string TemperatureBand = "inference_cluster.temperature_band";

    /// <summary><c>hit</c> or <c>miss</c>.</summary>
    public const string CacheResult = "inference_cluster.cache.result";

    /// <summary><c>lookup</c> or <c>store</c>.</summary>
    public const string CacheOperation = "inference_cluster.cache.operation";

    /// <summary>Why something happened (a 429's error code, a cancellation's cause).</summary>
    public const string Reason = "inference_cluster.reason";

    /// <summary>How a worker's request ended: a finish reason or a failure code.</summary>
    public const string Outcome = "inference_cluster.outcome";

    /// <summary>The worker a measurement comes from.</summary>
    public const string WorkerId = "inference_cluster.worker.id";
}
