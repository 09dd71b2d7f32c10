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

    /// <summary>Records a setting made at <paramref name="setAt"/>, after the inner timer took it.</summary>
    public void Track(DateTimeOffset setAt, TimeSpan dueTime, TimeSpan period)
    {
        lock (_gate)
        {
            _dueAt = dueTime == Timeout.InfiniteTimeSpan ? null : setAt + dueTime;
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
        var setAt = clock.GetUtcNow();
        var changed = Inner!.Change(dueTime, period);
        Track(setAt, dueTime, period);
        return changed;
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
