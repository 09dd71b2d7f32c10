using System.Collections.Concurrent;

namespace InferenceCluster.Gateway.Broker;

/// <summary>The probes this process has sent to its own queues and waits for, by id.</summary>
internal sealed class ReceiveProbes
{
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource> _waiting = new();

    /// <summary>Completes when the probe <paramref name="probeId"/> arrives; call before sending it.</summary>
    public Task Expect(Guid probeId) =>
        _waiting.GetOrAdd(probeId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public void Arrived(Guid probeId)
    {
        // A probe that comes back after its sender gave up on it finds nobody waiting: that is fine.
        if (_waiting.TryGetValue(probeId, out var arrival))
        {
            arrival.TrySetResult();
        }
    }

    public void Forget(Guid probeId) => _waiting.TryRemove(probeId, out _);

    public int Count => _waiting.Count;
}
