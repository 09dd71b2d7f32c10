using MassTransit;

namespace InferenceCluster.Contracts;

/// <summary>
/// Command a service sends to one of its own receive endpoints to learn whether it still receives there: a
/// consumer the broker dropped without the client noticing looks healthy from inside, and only a message that
/// does not come back tells. Only ever sent to one queue: no exchange is declared for it on sending
/// (<c>ExcludeFromTopology</c>), and no endpoint that consumes it subscribes to it
/// (<c>ConfigureConsumeTopology(false)</c>), or a probe published by anyone would reach every such queue.
/// </summary>
[ExcludeFromTopology]
[ConfigureConsumeTopology(false)]
public sealed record ReceiveProbe
{
    /// <summary>Unique per probe; the sender waits for this id to arrive.</summary>
    public required Guid ProbeId { get; init; }

    /// <summary>When the probe was sent.</summary>
    public required DateTimeOffset SentAt { get; init; }
}
