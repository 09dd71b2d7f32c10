namespace InferenceCluster.Gateway.Workers;

/// <summary>
/// The gateway may not have heard every live worker yet, so a model no worker has announced may still be served: it
/// has been in this state since <paramref name="Since"/> (its start, or the start of an outage of its heartbeat
/// endpoint) and leaves it at <paramref name="Until"/>, null while heartbeats cannot arrive at all.
/// </summary>
internal sealed record WorkerDiscovery(DateTimeOffset Since, DateTimeOffset? Until);
