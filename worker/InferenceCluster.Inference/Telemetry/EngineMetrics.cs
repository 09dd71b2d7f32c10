using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using InferenceCluster.Inference.Interop;

namespace InferenceCluster.Inference.Telemetry;

/// <summary>
/// What one engine does step by step: how full each step's batch is, how many requests it runs or holds
/// waiting, and (dynamic batching) how many KV-cache blocks their sequences occupy. Written on the engine's
/// owner thread, read by the meter's collection.
/// </summary>
internal sealed class EngineMetrics
{
    /// <summary>The worker's meter name: one scrape shows engine and worker together.</summary>
    public const string MeterName = "InferenceCluster.Worker";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Histogram<int> BatchOccupancy = Meter.CreateHistogram(
        "inference_cluster.engine.batch.occupancy", "{request}", "Requests that received a token in one engine step.",
        advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 128, 256] });

    // Every engine of this process (tests load several), read by one instrument each, so no name is created twice.
    private static readonly ConditionalWeakTable<EngineMetrics, object?> Engines = [];

    private static readonly ObservableGauge<int> Running = Meter.CreateObservableGauge(
        "inference_cluster.engine.requests.running", () => Observe(engine => Volatile.Read(ref engine._running)), "{request}",
        "Requests in the engine that have produced their first token.");

    private static readonly ObservableGauge<int> Waiting = Meter.CreateObservableGauge(
        "inference_cluster.engine.requests.waiting", () => Observe(engine => Volatile.Read(ref engine._waiting)), "{request}",
        "Requests in the engine still waiting for their first token (admission, prefill, or a static batch to finish).");

    private static readonly ObservableGauge<int> BlocksInUse = Meter.CreateObservableGauge(
        "inference_cluster.engine.kv_blocks.in_use", () => Observe(engine => Volatile.Read(ref engine._blocksInUse), engine => engine._dynamic), "{block}",
        "KV-cache blocks the engine's sequences occupy: ceil(tokens / block_size) per request. GenAI reports no block count, so this is computed from the sequence lengths.");

    private static readonly ObservableGauge<int> BlocksTotal = Meter.CreateObservableGauge(
        "inference_cluster.engine.kv_blocks.capacity", () => Observe(engine => engine._blocksTotal, engine => engine._dynamic && engine._blocksTotal > 0), "{block}",
        "KV-cache blocks the model's config reserves (num_blocks); absent when GenAI sizes the cache itself.");

    private readonly HashSet<object> _servedThisStep = [];
    private readonly TagList _tags;
    private readonly bool _dynamic;
    private readonly int _blockSize;
    private int _running;
    private int _waiting;
    private int _blocksInUse;
    private readonly int _blocksTotal;

    public EngineMetrics(string model, bool dynamicBatching, int blockSize, int blocks)
    {
        _dynamic = dynamicBatching && blockSize > 0;
        _blockSize = blockSize;
        _blocksTotal = blocks;
        _tags = new TagList
        {
            { "gen_ai.request.model", model },
            { "inference_cluster.engine.batching", dynamicBatching ? "dynamic" : "static" },
        };
        _ = (Running, Waiting, BlocksInUse, BlocksTotal);
        Engines.AddOrUpdate(this, null);
    }

    /// <summary>After an engine step on the owner thread: the step's batch, and the load it leaves.</summary>
    public void RecordStep(IReadOnlyList<EngineEvent> events, IReadOnlyList<IMeteredRequest> active)
    {
        _servedThisStep.Clear();
        foreach (var e in events)
        {
            if (e.HasToken && e.Request is { } request)
            {
                _servedThisStep.Add(request);
            }
        }

        if (_servedThisStep.Count > 0)
        {
            BatchOccupancy.Record(_servedThisStep.Count, _tags);
        }

        int running = 0, waiting = 0, blocks = 0;
        foreach (var session in active)
        {
            _ = session.Started ? running++ : waiting++;
            if (_dynamic)
            {
                blocks += (session.SequenceTokens + _blockSize - 1) / _blockSize;
            }
        }

        Volatile.Write(ref _running, running);
        Volatile.Write(ref _waiting, waiting);
        Volatile.Write(ref _blocksInUse, blocks);
    }

    private static IEnumerable<Measurement<int>> Observe(Func<EngineMetrics, int> read, Func<EngineMetrics, bool>? applies = null) =>
        Engines
            .Where(entry => applies?.Invoke(entry.Key) ?? true)
            .Select(entry => new Measurement<int>(read(entry.Key), entry.Key._tags))
            .ToList();
}
