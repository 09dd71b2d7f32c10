using System.Collections.Concurrent;

namespace InferenceCluster.ServiceDefaults;

/// <summary>
/// The receive probes this process has sent to its own queues and waits for, by id; the gateway's self-check and the
/// worker's instance-queue check both keep theirs here.
/// </summary>
public sealed class ReceiveProbes
{
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource> _waiting = new();

    /// <summary>Completes when the probe <paramref name="probeId"/> arrives; call before sending it.</summary>
    public Task Expect(Guid probeId) =>
        _waiting.GetOrAdd(probeId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    /// <summary>The probe <paramref name="probeId"/> was taken off its queue.</summary>
    public void Arrived(Guid probeId)
    {
        // A probe that comes back after its sender gave up on it finds nobody waiting: that is fine.
        if (_waiting.TryGetValue(probeId, out var arrival))
        {
            arrival.TrySetResult();
        }
    }

    /// <summary>Stops waiting for the probe <paramref name="probeId"/>.</summary>
    public void Forget(Guid probeId) => _waiting.TryRemove(probeId, out _);

    /// <summary>How many probes are waited for.</summary>
    public int Count => _waiting.Count;
}
