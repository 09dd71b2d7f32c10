using InferenceCluster.Worker.Execution;
using InferenceCluster.Worker.Tests.Fakes;

namespace InferenceCluster.Worker.Tests.Execution;

public sealed class RunningRequestsTests
{
    private static readonly TimeSpan Long = TimeSpan.FromHours(1);

    [Fact]
    public void Start_CancelHeardBefore_StartsCancelled()
    {
        var running = new RunningRequests(new ManualTimeProvider());
        var id = Guid.NewGuid();

        Assert.False(running.TryCancel(id));
        using var request = running.Start(id, CancellationToken.None, Long);

        Assert.True(request.Token.IsCancellationRequested);
        Assert.True(request.CancelRequested);
        Assert.Equal(0, running.EarlyCancelCount);
    }

    [Fact]
    public void Start_CancelHeardHoursBeforeWithinTheDeadline_StillStartsCancelled()
    {
        var clock = new ManualTimeProvider();
        var running = new RunningRequests(clock);
        var id = Guid.NewGuid();

        running.TryCancel(id, clock.GetUtcNow() + TimeSpan.FromHours(2));
        clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(59));
        using var request = running.Start(id, CancellationToken.None, Long);

        Assert.True(request.Token.IsCancellationRequested);
    }

    [Fact]
    public void TryCancel_DeadlinePassed_CancelIsForgotten()
    {
        var clock = new ManualTimeProvider();
        var running = new RunningRequests(clock);
        var id = Guid.NewGuid();

        running.TryCancel(id, clock.GetUtcNow() + TimeSpan.FromMinutes(5));
        clock.Advance(TimeSpan.FromMinutes(6));
        running.TryCancel(Guid.NewGuid(), clock.GetUtcNow() + TimeSpan.FromMinutes(5));

        Assert.Equal(1, running.EarlyCancelCount);
        using var request = running.Start(id, CancellationToken.None, Long);
        Assert.False(request.Token.IsCancellationRequested);
    }

    [Fact]
    public void TryCancel_MoreThanTheCapacity_MemoryStaysBounded()
    {
        var clock = new ManualTimeProvider();
        var running = new RunningRequests(clock);

        for (var i = 0; i < RunningRequests.EarlyCancelCapacity + 1000; i++)
        {
            running.TryCancel(Guid.NewGuid(), clock.GetUtcNow() + TimeSpan.FromHours(1));
        }

        Assert.Equal(RunningRequests.EarlyCancelCapacity, running.EarlyCancelCount);
    }

    [Fact]
    public async Task TryCancel_RacingStart_IsNeverLost()
    {
        // The clock is read while a cancel is being remembered; holding it there lets the request start in
        // between, which is the race: the start must see the cancel or the cancel must see the start.
        var clock = new HeldClock();
        var running = new RunningRequests(clock);
        var id = Guid.NewGuid();

        var cancel = Task.Run(() => running.TryCancel(id));
        Assert.True(clock.Entered.Wait(TimeSpan.FromSeconds(10)), "the cancel never read the clock");
        clock.Hold = false;
        var start = Task.Run(() => running.Start(id, CancellationToken.None, Long));
        await Task.WhenAny(start, Task.Delay(TimeSpan.FromMilliseconds(300)));
        clock.Release.Set();
        await cancel;
        using var request = await start;

        Assert.True(request.Token.IsCancellationRequested, "a cancel heard while the request started was lost");
    }

    /// <summary>A clock whose first reading blocks until released.</summary>
    private sealed class HeldClock : TimeProvider
    {
        public ManualResetEventSlim Entered { get; } = new();

        public ManualResetEventSlim Release { get; } = new();

        private volatile bool _hold = true;

        public bool Hold
        {
            get => _hold;
            set => _hold = value;
        }

        public override DateTimeOffset GetUtcNow()
        {
            if (Hold)
            {
                Entered.Set();
                Release.Wait(TimeSpan.FromSeconds(10));
            }

            return new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
        }
    }
}
