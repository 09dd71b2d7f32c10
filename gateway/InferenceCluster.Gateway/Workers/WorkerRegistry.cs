using System.Collections.Concurrent;
using InferenceCluster.Contracts;
using InferenceCluster.Gateway.Configuration;
using Microsoft.Extensions.Options;

namespace InferenceCluster.Gateway.Workers;

/// <summary>
/// What the gateway knows about workers, learnt from their heartbeats only. A worker is live while its
/// last heartbeat is younger than <see cref="GatewayOptions.WorkerLiveness"/>, measured on this
/// gateway's clock so that clock skew between machines does not matter; a worker silent only because heartbeats
/// could not reach this gateway (<see cref="HeartbeatReception"/>) stays live.
/// </summary>
internal sealed class WorkerRegistry(
    TimeProvider time,
    IOptions<GatewayOptions> options,
    HeartbeatReception? reception = null,
    EmbeddedWorkerOnly? embeddedOnly = null)
{
    private readonly ConcurrentDictionary<string, SeenWorker> _workers = new(StringComparer.Ordinal);

    // Models ever announced, with when they were first seen: a known model without live workers is
    // "unavailable" (503), not "unknown" (404).
    private readonly ConcurrentDictionary<string, DateTimeOffset> _knownModels = new(StringComparer.Ordinal);

    public void Record(WorkerHeartbeat heartbeat)
    {
        ArgumentNullException.ThrowIfNull(heartbeat);
        var now = time.GetUtcNow();
        _workers[heartbeat.WorkerId] = new SeenWorker(heartbeat, now);
        _knownModels.TryAdd(heartbeat.ModelId, now);
    }

    public ModelAvailability Find(string modelId)
    {
        if (!_knownModels.ContainsKey(modelId))
        {
            return ModelAvailability.Unknown;
        }

        var live = LiveWorkers().Where(worker => worker.ModelId == modelId).ToList();
        if (live.Count == 0)
        {
            return ModelAvailability.NotLive;
        }

        // During a rolling upgrade workers disagree on the revision; then no single cache entry is right.
        var revisions = live.Select(worker => worker.ModelRevision).Distinct(StringComparer.Ordinal).ToList();
        return new ModelAvailability(IsKnown: true, LiveWorkers: live.Count, Revision: revisions.Count == 1 ? revisions[0] : null)
        {
            IsReasoningModel = live.Any(worker => worker.IsReasoningModel),
        };
    }

    public bool AnyLive => LiveWorkers().Any();

    /// <summary>
    /// Whether live workers may not have been heard yet (see <see cref="HeartbeatReception.Discovering"/>); null once
    /// all have, which for the gateway's own embedded worker, the only one there can be, is once it has been heard.
    /// </summary>
    public WorkerDiscovery? Discovering() => embeddedOnly is not null && !_knownModels.IsEmpty ? null : reception?.Discovering();

    /// <summary>Each model served by at least one live worker, with when it was first seen.</summary>
    public IReadOnlyList<(string ModelId, DateTimeOffset FirstSeen)> LiveModels() =>
        [.. LiveWorkers()
            .Select(worker => worker.ModelId)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .Select(model => (model, _knownModels.GetValueOrDefault(model)))];

    /// <summary>Every model ever announced, live or not (a model whose workers are gone may still have a queue).</summary>
    public IReadOnlyCollection<string> KnownModels() => [.. _knownModels.Keys];

    private IEnumerable<WorkerHeartbeat> LiveWorkers()
    {
        var oldest = time.GetUtcNow() - options.Value.WorkerLiveness;
        return _workers.Values
            .Where(seen => seen.ReceivedAt >= oldest || reception?.Excuses(seen.ReceivedAt) == true)
            .Select(seen => seen.Heartbeat);
    }

    private sealed record SeenWorker(WorkerHeartbeat Heartbeat, DateTimeOffset ReceivedAt);
}
