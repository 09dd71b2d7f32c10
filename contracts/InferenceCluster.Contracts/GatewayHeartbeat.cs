namespace InferenceCluster.Contracts;

/// <summary>
/// Event: a gateway instance is alive and still reads its reply queue. Published every second or so; a worker
/// stops the requests it runs for a gateway that has gone silent, since nobody would read their answers.
/// </summary>
public sealed record GatewayHeartbeat
{
    /// <summary>The gateway's reply address, as its requests carry it in <see cref="GenerateCompletion.ReplyAddress"/>.</summary>
    public required Uri ReplyAddress { get; init; }

    /// <summary>How often the gateway beats, so a worker can tell a late beat from a lost gateway.</summary>
    public required TimeSpan Interval { get; init; }

    /// <summary>When the gateway sent this heartbeat.</summary>
    public required DateTimeOffset SentAt { get; init; }
}
