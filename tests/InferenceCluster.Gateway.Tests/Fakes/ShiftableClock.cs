namespace InferenceCluster.Gateway.Tests.Fakes;

/// <summary>
/// System time plus an adjustable offset, to record a heartbeat "in the past". Timers stay real, except that a test
/// can pass the deadlines of the requests running now (<see cref="PassDeadlines"/>) instead of waiting for them.
/// </summary>
public sealed class ShiftableClock : TimeProvider
{
    private readonly Lock _gate = new();
    private readonly List<DeadlineTimer> _deadlines = [];

    public TimeSpan Offset { get; set; }

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        if (state is not CancellationTokenSource || period != Timeout.InfiniteTimeSpan)
        {
            return timer;
        }

        // A token source's deadline (a request's, among others): one a test can make pass at once.
        var deadline = new DeadlineTimer(timer, dueTime);
        lock (_gate)
        {
            _deadlines.RemoveAll(old => old.IsDisposed);
            _deadlines.Add(deadline);
        }

        return deadline;
    }

    /// <summary>
    /// Moves the clock on by <paramref name="timeout"/> and cancels at once every live token source set to cancel
    /// after exactly that long: the requests running now pass their deadline, as if that time had gone by. Other
    /// timers (probes, send bounds, periodic loops) keep their real times.
    /// </summary>
    public int PassDeadlines(TimeSpan timeout)
    {
        Offset += timeout;
        List<DeadlineTimer> due;
        lock (_gate)
        {
            due = [.. _deadlines.Where(deadline => !deadline.IsDisposed && deadline.DueTime == timeout)];
        }

        foreach (var deadline in due)
        {
            deadline.FireNow();
        }

        return due.Count;
    }
}
