using System.Diagnostics;
using System.Diagnostics.Metrics;
using InferenceCluster.ServiceDefaults.Telemetry;

namespace InferenceCluster.Worker.Telemetry;

/// <summary>
/// The worker's meter (same name as its ActivitySource): OpenTelemetry's GenAI server metrics, and the
/// cluster's own (<c>inference_cluster.</c>) for outcomes, tokens, queue wait and redeliveries.
/// </summary>
internal static class WorkerMetrics
{
    private static readonly Meter Meter = new(WorkerTelemetry.SourceName);

    private static readonly Counter<long> Requests = Meter.CreateCounter<long>(
        "inference_cluster.worker.requests", "{request}", "Requests ended, by outcome (finish reason or failure code).");

    private static readonly Histogram<double> QueueWait = Meter.CreateHistogram(
        "inference_cluster.queue.wait", "s", "Time from the gateway's send to a worker's consume, per model.", advice: MetricBuckets.Seconds);

    private static readonly Histogram<double> RequestDuration = Meter.CreateHistogram(
        "gen_ai.server.request.duration", "s", "Time from consume to the final result.", advice: MetricBuckets.Seconds);

    private static readonly Histogram<double> TimeToFirstToken = Meter.CreateHistogram(
        "gen_ai.server.time_to_first_token", "s", "Time from consume to the first generated token.", advice: MetricBuckets.ShortSeconds);

    private static readonly Histogram<double> TimePerOutputToken = Meter.CreateHistogram(
        "gen_ai.server.time_per_output_token", "s", "Decode time per output token after the first.", advice: MetricBuckets.PerToken);

    private static readonly Counter<long> Tokens = Meter.CreateCounter<long>(
        "inference_cluster.worker.tokens", "{token}", "Prompt and generated tokens.");

    private static readonly Counter<long> Redeliveries = Meter.CreateCounter<long>(
        "inference_cluster.worker.redeliveries", "{request}", "Requests this worker received again after another delivery was not acknowledged.");

    public static void RecordQueueWait(TimeSpan wait, string model) =>
        QueueWait.Record(Math.Max(0, wait.TotalSeconds), new KeyValuePair<string, object?>(TelemetryAttributes.RequestModel, model));

    public static void RecordRedelivery(string model) =>
        Redeliveries.Add(1, new KeyValuePair<string, object?>(TelemetryAttributes.RequestModel, model));

    public static void RecordFirstToken(TimeSpan sinceConsume, string operation, string model) =>
        TimeToFirstToken.Record(sinceConsume.TotalSeconds, Operation(operation, model));

    /// <summary>
    /// The end of a request: its outcome, duration and tokens. <paramref name="finishReason"/> is set when the
    /// request finished (then the outcome is that reason), null when it failed with the code in <paramref name="outcome"/>.
    /// </summary>
    public static void RecordOutcome(
        string outcome, string? finishReason, string operation, string model, TimeSpan duration, int promptTokens, int completionTokens, TimeSpan decode)
    {
        var tags = Operation(operation, model);
        tags.Add(finishReason is null ? TelemetryAttributes.ErrorType : TelemetryAttributes.ResponseFinishReasons, finishReason ?? outcome);
        RequestDuration.Record(duration.TotalSeconds, tags);
        Requests.Add(1, new(TelemetryAttributes.RequestModel, model), new(TelemetryAttributes.Outcome, outcome));
        if (promptTokens > 0)
        {
            Tokens.Add(promptTokens, new(TelemetryAttributes.RequestModel, model), new(TelemetryAttributes.TokenType, "input"));
        }

        if (completionTokens > 0)
        {
            Tokens.Add(completionTokens, new(TelemetryAttributes.RequestModel, model), new(TelemetryAttributes.TokenType, "output"));
        }

        // The first token's time is prefill; the decode phase spans the tokens after it.
        if (completionTokens > 1 && decode > TimeSpan.Zero)
        {
            TimePerOutputToken.Record(decode.TotalSeconds / (completionTokens - 1), Operation(operation, model));
        }
    }

    private static TagList Operation(string operation, string model) => new()
    {
        { TelemetryAttributes.OperationName, operation },
        { TelemetryAttributes.RequestModel, model },
    };
}
