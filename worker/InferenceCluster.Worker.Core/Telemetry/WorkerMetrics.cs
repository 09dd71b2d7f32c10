using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace InferenceCluster.Worker.Telemetry;

/// <summary>
/// The worker's meter (same name as its ActivitySource): request outcomes, queue wait, time to first
/// token and token counts, named after OpenTelemetry's GenAI server metrics where those exist.
/// </summary>
internal static class WorkerMetrics
{
    private static readonly Meter Meter = new(WorkerTelemetry.SourceName);

    private static readonly Counter<long> Requests = Meter.CreateCounter<long>(
        "inference_cluster.worker.requests", "{request}", "Requests ended, by outcome (finish reason or failure code).");

    private static readonly Histogram<double> QueueWait = Meter.CreateHistogram<double>(
        "inference_cluster.worker.queue_wait", "s", "Time from the gateway's publish to the worker's consume.");

    private static readonly Histogram<double> RequestDuration = Meter.CreateHistogram<double>(
        "gen_ai.server.request.duration", "s", "Time from consume to the final result.");

    private static readonly Histogram<double> TimeToFirstToken = Meter.CreateHistogram<double>(
        "gen_ai.server.time_to_first_token", "s", "Time from consume to the first generated token.");

    private static readonly Counter<long> Tokens = Meter.CreateCounter<long>(
        "inference_cluster.worker.tokens", "{token}", "Prompt and generated tokens.");

    public static void RecordQueueWait(TimeSpan wait, string model) =>
        QueueWait.Record(Math.Max(0, wait.TotalSeconds), new KeyValuePair<string, object?>(GenAiAttributes.RequestModel, model));

    public static void RecordFirstToken(TimeSpan sinceConsume, string model) =>
        TimeToFirstToken.Record(sinceConsume.TotalSeconds, new KeyValuePair<string, object?>(GenAiAttributes.RequestModel, model));

    public static void RecordOutcome(string outcome, string model, TimeSpan duration, int promptTokens, int completionTokens)
    {
        var tags = new TagList
        {
            { GenAiAttributes.RequestModel, model },
            { "inference_cluster.outcome", outcome },
        };
        Requests.Add(1, tags);
        RequestDuration.Record(duration.TotalSeconds, tags);
        if (promptTokens > 0)
        {
            Tokens.Add(promptTokens, new KeyValuePair<string, object?>(GenAiAttributes.RequestModel, model), new KeyValuePair<string, object?>("gen_ai.token.type", "input"));
        }

        if (completionTokens > 0)
        {
            Tokens.Add(completionTokens, new KeyValuePair<string, object?>(GenAiAttributes.RequestModel, model), new KeyValuePair<string, object?>("gen_ai.token.type", "output"));
        }
    }
}
