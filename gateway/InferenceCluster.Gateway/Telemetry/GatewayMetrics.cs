using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using InferenceCluster.Gateway.OpenAI;
using InferenceCluster.ServiceDefaults.Telemetry;
using Microsoft.AspNetCore.Http;

namespace InferenceCluster.Gateway.Telemetry;

/// <summary>
/// The gateway's meter: OpenTelemetry's GenAI client metrics for every answered request, and the cluster's own
/// (<c>inference_cluster.</c>) for the cache, rate limiting, cancellations and the generations in flight.
/// </summary>
internal static class GatewayMetrics
{
    private static readonly Meter Meter = new(GatewayTelemetry.SourceName);

    private static readonly Histogram<double> OperationDuration = Meter.CreateHistogram(
        "gen_ai.client.operation.duration", "s", "Time from a request's dispatch (or cache lookup) to its whole answer.",
        advice: MetricBuckets.Seconds);

    private static readonly Histogram<long> TokenUsage = Meter.CreateHistogram(
        "gen_ai.client.token.usage", "{token}", "Input and output tokens of each answered request.",
        advice: MetricBuckets.Tokens);

    private static readonly Counter<long> CacheLookups = Meter.CreateCounter<long>(
        "inference_cluster.cache.lookups", "{lookup}", "Cache lookups of deterministic generations, by result (hit, miss).");

    private static readonly Counter<long> CacheErrors = Meter.CreateCounter<long>(
        "inference_cluster.cache.errors", "{error}",
        "Cache operations that failed or were skipped, by operation and error.type: redis_full (a store refused, used memory above maxmemory; lookups still answered), redis_timeout, redis_unavailable, redis_breaker_open, redis_connecting.");

    private static readonly Counter<long> RateLimited = Meter.CreateCounter<long>(
        "inference_cluster.gateway.rate_limited", "{request}", "Requests answered 429, by reason (the error code).");

    private static readonly Counter<long> Cancellations = Meter.CreateCounter<long>(
        "inference_cluster.gateway.cancellations", "{request}", "Generations the gateway told workers to stop, by reason.");

    public static void RecordOperation(string operation, string model, TimeSpan duration, string? finishReason, string? errorType)
    {
        var tags = new TagList
        {
            { TelemetryAttributes.OperationName, operation },
            { TelemetryAttributes.RequestModel, model },
        };
        if (finishReason is not null)
        {
            tags.Add(TelemetryAttributes.ResponseFinishReasons, finishReason);
        }

        if (errorType is not null)
        {
            tags.Add(TelemetryAttributes.ErrorType, errorType);
        }

        OperationDuration.Record(duration.TotalSeconds, tags);
    }

    public static void RecordTokens(string operation, string model, int inputTokens, int outputTokens)
    {
        TokenUsage.Record(inputTokens, Tokens(operation, model, "input"));
        TokenUsage.Record(outputTokens, Tokens(operation, model, "output"));
    }

    public static void RecordCacheLookup(string model, bool hit) =>
        CacheLookups.Add(1, new(TelemetryAttributes.RequestModel, model), new(TelemetryAttributes.CacheResult, hit ? "hit" : "miss"));

    public static void RecordCacheError(string operation, string errorType) =>
        CacheErrors.Add(1, new(TelemetryAttributes.CacheOperation, operation), new(TelemetryAttributes.ErrorType, errorType));

    /// <summary>Counts a 429 by its error code (<c>rate_limit_exceeded</c> for a key's rate, the queue-full code for a model's limit).</summary>
    public static void RecordRejected(OpenAIException error)
    {
        if (error.StatusCode == StatusCodes.Status429TooManyRequests)
        {
            RateLimited.Add(1, new KeyValuePair<string, object?>(TelemetryAttributes.Reason, error.Code ?? error.Type));
        }
    }

    public static void RecordCancellation(string reason) =>
        Cancellations.Add(1, new KeyValuePair<string, object?>(TelemetryAttributes.Reason, reason));

    // Every admission of this process (tests host several gateways in one), read by one instrument, so no
    // instrument is created twice under one name.
    private static readonly ConditionalWeakTable<object, Func<IEnumerable<KeyValuePair<string, int>>>> InFlightSources = [];

    private static readonly ObservableUpDownCounter<int> InFlight = Meter.CreateObservableUpDownCounter(
        "inference_cluster.gateway.requests.in_flight",
        ObserveInFlight,
        "{request}",
        "Generations this gateway has sent to a model's queue and not yet seen answered (queued at the broker or on a worker).");

    /// <summary>Reports <paramref name="perModel"/> as the in-flight generations per model for as long as <paramref name="owner"/> lives.</summary>
    public static void TrackInFlight(object owner, Func<IEnumerable<KeyValuePair<string, int>>> perModel)
    {
        _ = InFlight;
        InFlightSources.AddOrUpdate(owner, perModel);
    }

    private static IEnumerable<Measurement<int>> ObserveInFlight() => PerModel(InFlightSources, values => values.Sum());

    // Like the in-flight sources: one instrument for every gateway of the process. They all read the same queues,
    // so a model's depth is the largest reading, not a sum.
    private static readonly ConditionalWeakTable<object, Func<IEnumerable<KeyValuePair<string, long>>>> QueueDepthSources = [];

    private static readonly ObservableGauge<long> QueueDepth = Meter.CreateObservableGauge(
        "inference_cluster.queue.depth",
        ObserveQueueDepth,
        "{message}",
        "Messages waiting in each model's queue at the broker, as last read (every Gateway:QueueDepthInterval). Every gateway reads the same queues: aggregate with max, not sum.");

    /// <summary>Reports <paramref name="perModel"/> as the depth of each model's queue for as long as <paramref name="owner"/> lives.</summary>
    public static void TrackQueueDepth(object owner, Func<IEnumerable<KeyValuePair<string, long>>> perModel)
    {
        _ = QueueDepth;
        QueueDepthSources.AddOrUpdate(owner, perModel);
    }

    private static IEnumerable<Measurement<long>> ObserveQueueDepth() => PerModel(QueueDepthSources, values => values.Max());

    private static List<Measurement<T>> PerModel<T>(
        ConditionalWeakTable<object, Func<IEnumerable<KeyValuePair<string, T>>>> sources, Func<IEnumerable<T>, T> combine)
        where T : struct =>
        [.. sources
            .SelectMany(source => source.Value())
            .GroupBy(entry => entry.Key, StringComparer.Ordinal)
            .Select(model => new Measurement<T>(
                combine(model.Select(entry => entry.Value)), new KeyValuePair<string, object?>(TelemetryAttributes.RequestModel, model.Key)))];

    private static TagList Tokens(string operation, string model, string type) => new()
    {
        { TelemetryAttributes.OperationName, operation },
        { TelemetryAttributes.RequestModel, model },
        { TelemetryAttributes.TokenType, type },
    };
}
