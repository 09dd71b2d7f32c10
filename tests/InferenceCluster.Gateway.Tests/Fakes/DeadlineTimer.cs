namespace InferenceCluster.Gateway.Tests.Fakes;

/// <summary>A real one-shot timer that remembers the wait it was set for.</summary>
internal sealed class DeadlineTimer(ITimer inner, TimeSpan dueTime) : ITimer
{
    private volatile bool _disposed;

    public TimeSpan DueTime { get; private set; } = dueTime;

    public bool IsDisposed => _disposed;

    public void FireNow() => inner.Change(TimeSpan.Zero, Timeout.InfiniteTimeSpan);

    public bool Change(TimeSpan dueTime, TimeSpan period)
    {
        DueTime = dueTime;
        return inner.Change(dueTime, period);
    }

    public void Dispose()
    {
        _disposed = true;
        inner.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        _disposed = true;
        return inner.DisposeAsync();
    }
}
