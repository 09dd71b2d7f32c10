namespace InferenceCluster.Gateway.Tests.Fakes;

/// <summary>A timer of a <see cref="WatchedClock"/>: when it is next due, and whether it is still alive.</summary>
internal sealed class WatchedTimer(TimeProvider clock, bool isWait) : ITimer
{
    private readonly Lock _gate = new();
    private DateTimeOffset? _dueAt;
    private TimeSpan _period = Timeout.InfiniteTimeSpan;
    private bool _disposed;

    /// <summary>False for a token source's deadline, which nothing awaits.</summary>
    public bool IsWait { get; } = isWait;

    public ITimer? Inner { get; set; }

    public bool IsDisposed
    {
        get
        {
            lock (_gate)
            {
                return _disposed;
            }
        }
    }

    public void Track(TimeSpan dueTime, TimeSpan period)
    {
        lock (_gate)
        {
            _dueAt = dueTime == Timeout.InfiniteTimeSpan ? null : clock.GetUtcNow() + dueTime;
            _period = period;
        }
    }

    /// <summary>When it fires next after <paramref name="now"/>; null when it has fired for good, is stopped or disposed.</summary>
    public DateTimeOffset? NextDueAfter(DateTimeOffset now)
    {
        lock (_gate)
        {
            if (_disposed || _dueAt is not { } due)
            {
                return null;
            }

            if (due > now)
            {
                return due;
            }

            if (_period == Timeout.InfiniteTimeSpan || _period <= TimeSpan.Zero)
            {
                return null;
            }

            var periods = ((now - due).Ticks / _period.Ticks) + 1;
            return due + TimeSpan.FromTicks(periods * _period.Ticks);
        }
    }

    public bool Change(TimeSpan dueTime, TimeSpan period)
    {
        Track(dueTime, period);
        return Inner!.Change(dueTime, period);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
        }

        Inner?.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
