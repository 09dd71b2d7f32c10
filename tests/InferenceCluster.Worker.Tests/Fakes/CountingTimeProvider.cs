namespace InferenceCluster.Worker.Tests.Fakes;

/// <summary>The system clock, counting the timers created through it.</summary>
internal sealed class CountingTimeProvider : TimeProvider
{
    private int _timers;

    public int TimersCreated => Volatile.Read(ref _timers);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        Interlocked.Increment(ref _timers);
        return base.CreateTimer(callback, state, dueTime, period);
    }
}
