using InferenceCluster.Contracts;
using InferenceCluster.Gateway.Broker;
using InferenceCluster.ServiceDefaults;

namespace InferenceCluster.Gateway.Tests.Broker;

/// <summary>An own endpoint whose receiving, sending and readiness a test decides.</summary>
internal sealed class FakeProbedEndpoint(string name, ReceiveProbes probes) : IProbedEndpoint
{
    public string Name { get; } = name;

    public bool IsReady { get; set; } = true;

    /// <summary>False: the broker takes probes but never delivers them (the consumer was dropped silently).</summary>
    public bool Receives { get; set; } = true;

    /// <summary>Set: the send fails with it.</summary>
    public Exception? SendFailure { get; set; }

    public int ProbesSent { get; private set; }

    public int SendAttempts { get; private set; }

    public long Deliveries { get; set; }

    public long ReadyEpoch { get; set; }

    public List<string> Replacements { get; } = [];

    public event Action? BecameReady;

    public bool IsConnected { get; set; } = true;

    /// <summary>Set: connecting fails with it.</summary>
    public Exception? ConnectFailure { get; set; }

    public int ConnectAttempts { get; private set; }

    public void Connect()
    {
        ConnectAttempts++;
        if (ConnectFailure is { } failure)
        {
            throw failure;
        }

        IsConnected = true;
    }

    /// <summary>Set: the broker confirms a send only once this completes (a slow publisher confirm).</summary>
    public TaskCompletionSource? SendGate { get; set; }

    /// <summary>The id of the latest probe sent, for a test to deliver it late.</summary>
    public Guid? LastProbeId { get; private set; }

    public async Task SendProbeAsync(ReceiveProbe probe, CancellationToken cancellationToken)
    {
        SendAttempts++;
        if (SendGate is { } gate)
        {
            await gate.Task.WaitAsync(cancellationToken);
        }

        if (SendFailure is { } failure)
        {
            throw failure;
        }

        ProbesSent++;
        LastProbeId = probe.ProbeId;
        if (Receives)
        {
            Deliveries++;
            probes.Arrived(probe.ProbeId);
        }
    }

    /// <summary>Set: the replacement's connection fails with it, leaving the endpoint without one.</summary>
    public Exception? ReplaceFailure { get; set; }

    public Task ReplaceAsync(string reason, CancellationToken cancellationToken)
    {
        Replacements.Add(reason);
        if (ReplaceFailure is { } failure)
        {
            IsConnected = false;
            IsReady = false;
            return Task.FromException(failure);
        }

        Receives = true;
        return Task.CompletedTask;
    }

    public void RaiseBecameReady() => BecameReady?.Invoke();
}
