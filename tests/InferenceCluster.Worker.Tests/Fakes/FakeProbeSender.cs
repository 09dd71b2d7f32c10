using InferenceCluster.Contracts;
using InferenceCluster.ServiceDefaults;
using InferenceCluster.Worker.Receiving;

namespace InferenceCluster.Worker.Tests.Fakes;

/// <summary>A broker whose delivery of probes to the worker's own queues a test decides.</summary>
internal sealed class FakeProbeSender(ReceiveProbes probes, InstanceQueues queues) : IProbeSender
{
    /// <summary>Queues the broker takes probes for but never delivers them to (their consumer was dropped silently).</summary>
    public HashSet<Uri> Deaf { get; } = [];

    /// <summary>Set: every send fails with it (the broker is away).</summary>
    public Exception? SendFailure { get; set; }

    public List<Uri> Sent { get; } = [];

    public Task SendAsync(Uri queue, ReceiveProbe probe, CancellationToken cancellationToken)
    {
        if (SendFailure is { } failure)
        {
            return Task.FromException(failure);
        }

        Sent.Add(queue);
        if (!Deaf.Contains(queue))
        {
            queues.Add(queue).CountDelivery();
            probes.Arrived(probe.ProbeId);
        }

        return Task.CompletedTask;
    }
}
