namespace InferenceCluster.Gateway.Tests.Fakes;

/// <summary>System time plus an adjustable offset, to record a heartbeat "in the past". Timers stay real.</summary>
public sealed class ShiftableClock : TimeProvider
{
    public TimeSpan Offset { get; set; }

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;
}
