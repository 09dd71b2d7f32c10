using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;

namespace InferenceCluster.Gateway.Tests.Fakes;

/// <summary>
/// A fake clock that knows what waits on it, so that a test moves it only once the code under test waits: a background
/// loop that reaches its wait after the clock was moved would wait a whole further period, however long the test gave it
/// in real time.
/// </summary>
internal sealed class WatchedClock : FakeTimeProvider
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly Lock _gate = new();
    private readonly List<WatchedTimer> _timers = [];

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        // A token source's deadline is no wait: it is set, on the caller's thread, before the work it bounds begins.
        // Seen by a test only once the real timer is set: a test that moved the clock between the two would have the
        // timer set from the moved time, due a whole wait later than the test expects.
        var createdAt = GetUtcNow();
        var timer = new WatchedTimer(this, isWait: state is not CancellationTokenSource)
        {
            Inner = base.CreateTimer(callback, state, dueTime, period),
        };
        timer.Track(createdAt, dueTime, period);
        lock (_gate)
        {
            _timers.RemoveAll(old => old.IsDisposed);
            _timers.Add(timer);
        }

        return timer;
    }

    /// <summary>
    /// Waits, in real time, until something waits on this clock (<see cref="Task.Delay(TimeSpan, TimeProvider)"/>, a
    /// <c>WaitAsync</c> with a timeout, a periodic timer) for exactly <paramref name="dueIn"/> from now.
    /// </summary>
    public async Task WaitForWaiterAsync(TimeSpan dueIn)
    {
        var waited = Stopwatch.StartNew();
        while (!IsWaitedOn(GetUtcNow() + dueIn))
        {
            if (waited.Elapsed > Patience)
            {
                throw new TimeoutException($"Nothing waited {dueIn} on the clock within {Patience} of real time.");
            }

            await Task.Delay(10);
        }
    }

    private bool IsWaitedOn(DateTimeOffset dueAt)
    {
        var now = GetUtcNow();
        lock (_gate)
        {
            return _timers.Any(timer => timer.IsWait && timer.NextDueAfter(now) == dueAt);
        }
    }
}
