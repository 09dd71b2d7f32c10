namespace InferenceCluster.Worker.Tests.Fakes;

/// <summary>The system clock, counting the timers created through it that are due within a given time.</summary>
internal sealed class CountingTimeProvider(TimeSpan dueWithin) : TimeProvider
{
    private int _timers;

    /// <summary>Timers created with a due time of at most the given one (others, e.g. the heartbeat's, are not counted).</summary>
    public int TimersCreated => Volatile.Read(ref _timers);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime <= dueWithin)
        {
            Interlocked.Increment(ref _timers);
        }

        return base.CreateTimer(callback, state, dueTime, period);
    }
}
