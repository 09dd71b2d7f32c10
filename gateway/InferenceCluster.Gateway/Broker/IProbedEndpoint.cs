using InferenceCluster.Contracts;

namespace InferenceCluster.Gateway.Broker;

/// <summary>One of this process's own receive endpoints, as the <see cref="ReceiveSelfCheck"/> sees it.</summary>
internal interface IProbedEndpoint
{
    /// <summary>The endpoint's queue, for the log.</summary>
    string Name { get; }

    /// <summary>True while MassTransit reports the endpoint ready: only then is a probe that does not arrive news.</summary>
    bool IsReady { get; }

    /// <summary>
    /// How many messages the endpoint has taken so far: one that took others while its probe was out receives, only
    /// slowly (a backlog of replies after an outage), and is not replaced.
    /// </summary>
    long Deliveries { get; }

    /// <summary>
    /// Counts the endpoint's ready and down events: one that changed while a probe was out means the endpoint went
    /// down and came back meanwhile (a broker restart can delete a temporary queue with the probe in it), so the
    /// probe's absence proves nothing.
    /// </summary>
    long ReadyEpoch { get; }

    /// <summary>Raised each time the endpoint becomes ready: at start and after every reconnect.</summary>
    event Action? BecameReady;

    /// <summary>
    /// False while the endpoint has no connection to the bus at all: its first connection, or the one that was to
    /// replace it, failed. MassTransit does not retry that; the self-check does.
    /// </summary>
    bool IsConnected { get; }

    /// <summary>Creates the endpoint: when the bus has been started, and again while <see cref="IsConnected"/> is false.</summary>
    void Connect();

    /// <summary>Sends <paramref name="probe"/> to the endpoint's queue; completes when the broker has taken it.</summary>
    Task SendProbeAsync(ReceiveProbe probe, CancellationToken cancellationToken);

    /// <summary>
    /// Reports the endpoint as not receiving (<paramref name="reason"/>) and replaces it with a new one on the same
    /// queue; the old one is stopped as far as it lets itself be.
    /// </summary>
    Task ReplaceAsync(string reason, CancellationToken cancellationToken);
}
