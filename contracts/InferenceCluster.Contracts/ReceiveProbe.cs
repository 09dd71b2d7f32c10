using MassTransit;

namespace InferenceCluster.Contracts;

/// <summary>
/// Command a service sends to one of its own receive endpoints to learn whether it still receives there: a
/// consumer the broker dropped without the client noticing looks healthy from inside, and only a message that
/// does not come back tells. Never published, so it binds no exchange to any queue.
/// </summary>
[ExcludeFromTopology]
public sealed record ReceiveProbe
{
    /// <summary>Unique per probe; the sender waits for this id to arrive.</summary>
    public required Guid ProbeId { get; init; }

    /// <summary>When the probe was sent.</summary>
    public required DateTimeOffset SentAt { get; init; }
}
