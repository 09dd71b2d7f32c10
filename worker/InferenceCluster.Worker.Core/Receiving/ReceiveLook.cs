namespace InferenceCluster.Worker.Receiving;

/// <summary>What one look of <see cref="ReceiveWatchdog"/> saw: when, how many requests taken so far, which endpoint life, how many ready.</summary>
internal sealed record ReceiveLook(DateTimeOffset At, long Taken, long EndpointEpoch, long Ready);
