using System.Runtime.CompilerServices;
using InferenceCluster.Contracts;
using InferenceCluster.Inference;
using InferenceCluster.Worker.EngineWatch;
using InferenceCluster.Worker.Tests.Fakes;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace InferenceCluster.Worker.Tests.EngineWatch;

public sealed class EngineWatchdogTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    private readonly ManualTimeProvider _time = new();
    private readonly FakeInferenceEngine _engine = new((_, _) => FakeInferenceEngine.Tokens([]), modelId: "tiny");
    private readonly EngineStall _stall = new();
    private readonly FakeProcessEnd _end = new();
    private readonly EngineWatchdog _watchdog;

    public EngineWatchdogTests()
    {
        _watchdog = new EngineWatchdog(
            _engine,
            _stall,
            _end,
            Options.Create(new WorkerOptions { Id = "w1", EngineStallTimeout = Timeout }),
            _time,
            NullLogger<EngineWatchdog>.Instance);
    }

    [Fact]
    public void Check_RequestsInFlightAndNoProgressForTheTimeout_NotLiveAndExitsWith75()
    {
        _engine.ExtraInFlight = 2;

        Assert.False(Look());
        Assert.True(LookAfter(Timeout));

        Assert.Equal([75], _end.ExitCodes);
        Assert.Contains("tiny", _stall.Reason, StringComparison.Ordinal);
        Assert.Contains("Worker:EngineStallTimeout", _stall.Reason, StringComparison.Ordinal);
        Assert.Contains("2 requests", _stall.Reason, StringComparison.Ordinal);
        Assert.Equal(HealthStatus.Unhealthy, Health());

        // Once is enough: the worker is on its way out.
        Assert.False(LookAfter(Timeout));
        Assert.Equal([75], _end.ExitCodes);
    }

    [Fact]
    public void Check_NoProgressForJustUnderTheTimeout_NotStalled()
    {
        _engine.ExtraInFlight = 1;

        Assert.False(Look());
        Assert.False(LookAfter(Timeout - TimeSpan.FromSeconds(1)));

        Assert.Empty(_end.ExitCodes);
        Assert.Null(_stall.Reason);
        Assert.Equal(HealthStatus.Healthy, Health());
    }

    [Fact]
    public void Check_SlowEngineCompletingAStepNowAndThen_NeverStalled()
    {
        // A long prefill on a loaded CPU: one step every 100 s is slow, not hung. Looks every 5 s for an hour.
        _engine.ExtraInFlight = 4;
        for (var second = 0; second <= 3600; second += 5)
        {
            if (second % 100 == 0)
            {
                _engine.ExtraProgress++;
            }

            Assert.False(LookAfter(TimeSpan.FromSeconds(5)));
        }

        Assert.Empty(_end.ExitCodes);
        Assert.Null(_stall.Reason);
    }

    [Fact]
    public void Check_IdleEngine_NeverStalled()
    {
        Assert.False(Look());
        Assert.False(LookAfter(10 * Timeout));
        Assert.False(LookAfter(10 * Timeout));

        Assert.Empty(_end.ExitCodes);
    }

    [Fact]
    public void Check_RequestArrivesAfterALongIdle_TimeCountsFromTheLookThatSawIt()
    {
        Assert.False(Look());
        _time.Advance(10 * Timeout);
        _engine.ExtraInFlight = 1;

        Assert.False(Look());
        Assert.False(LookAfter(Timeout - TimeSpan.FromSeconds(1)));
        Assert.True(LookAfter(TimeSpan.FromSeconds(1)));

        Assert.Equal([75], _end.ExitCodes);
    }

    [Fact]
    public void Check_EngineIdleBetweenTwoLooks_StartsTheCountAgain()
    {
        _engine.ExtraInFlight = 1;
        Assert.False(Look());
        _engine.ExtraInFlight = 0;
        Assert.False(LookAfter(Timeout / 2));
        _engine.ExtraInFlight = 1;

        Assert.False(LookAfter(Timeout / 2));
        Assert.False(LookAfter(Timeout - TimeSpan.FromSeconds(1)));

        Assert.Empty(_end.ExitCodes);
    }

    [Fact]
    public void Check_ProgressJustBeforeTheTimeout_CountsFromThere()
    {
        _engine.ExtraInFlight = 1;
        Assert.False(Look());
        _time.Advance(Timeout - TimeSpan.FromSeconds(1));
        _engine.ExtraProgress++;

        Assert.False(Look());
        Assert.False(LookAfter(Timeout - TimeSpan.FromSeconds(1)));
        Assert.True(LookAfter(TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void Check_ClassicPathHungWhileTheEngineLoopMoves_Stalled()
    {
        // A classic Generator that never comes back holds its permit and its command for ever, however busy the loop is.
        _engine.ExtraInFlight = 3;
        _engine.ClassicInFlight = 1;
        Assert.False(Look());
        for (var second = 5; second < Timeout.TotalSeconds; second += 5)
        {
            _engine.ExtraProgress++;
            Assert.False(LookAfter(TimeSpan.FromSeconds(5)));
        }

        _engine.ExtraProgress++;
        Assert.True(LookAfter(TimeSpan.FromSeconds(5)));

        Assert.Equal([75], _end.ExitCodes);
        Assert.Contains("classic path", _stall.Reason, StringComparison.Ordinal);
        Assert.Contains("1 requests", _stall.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_EngineLoopHungWhileClassicStreamsMove_StalledAfterTheTimeout()
    {
        // Log-probability streams on the classic path move on; the loop's requests do not, and are found on time.
        _engine.ExtraInFlight = 2;
        _engine.ClassicInFlight = 1;
        Assert.False(Look());
        for (var second = 5; second < Timeout.TotalSeconds; second += 5)
        {
            _engine.ClassicProgress++;
            Assert.False(LookAfter(TimeSpan.FromSeconds(5)));
        }

        _engine.ClassicProgress++;
        Assert.True(LookAfter(TimeSpan.FromSeconds(5)));

        Assert.Equal([75], _end.ExitCodes);
        Assert.Contains("engine loop", _stall.Reason, StringComparison.Ordinal);
        Assert.Contains("2 requests", _stall.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_IdlePathStandsStillWhileTheOtherMoves_NeverStalled()
    {
        // No classic request: its count standing still for an hour means nothing.
        _engine.ExtraInFlight = 2;
        for (var second = 0; second <= 3600; second += 5)
        {
            _engine.ExtraProgress++;
            Assert.False(LookAfter(TimeSpan.FromSeconds(5)));
        }

        Assert.Empty(_end.ExitCodes);
        Assert.Null(_stall.Reason);
    }

    [Fact]
    public void Check_RealRequestHeldByAHungEngine_Stalled()
    {
        // The fake's own request: its script never yields, as a request on an engine whose step never comes back.
        var hung = new FakeInferenceEngine((_, token) => Never(token), modelId: "tiny");
        var watchdog = new EngineWatchdog(
            hung, _stall, _end, Options.Create(new WorkerOptions { Id = "w1", EngineStallTimeout = Timeout }), _time, NullLogger<EngineWatchdog>.Instance);
        using var cancel = new CancellationTokenSource();
        var request = hung.GenerateAsync("r1", null, "hi", new GenerationConfig { DoSample = false, Temperature = 0, TopP = 1, MaxTokens = 4 }, cancel.Token).GetAsyncEnumerator(cancel.Token);
        _ = request.MoveNextAsync();
        Assert.Equal(1, hung.InFlight);

        Assert.False(watchdog.CheckOnce());
        _time.Advance(Timeout);
        Assert.True(watchdog.CheckOnce());

        Assert.Equal([75], _end.ExitCodes);
        cancel.Cancel();
    }

    [Theory]
    [InlineData(10, 1)]
    [InlineData(30, 3)]
    [InlineData(120, 5)]
    [InlineData(3600, 5)]
    public void Interval_ATenthOfTheTimeoutAtMostFiveSeconds(int timeoutSeconds, int intervalSeconds)
    {
        var watchdog = new EngineWatchdog(
            _engine, _stall, _end, Options.Create(new WorkerOptions { Id = "w1", EngineStallTimeout = TimeSpan.FromSeconds(timeoutSeconds) }), _time,
            NullLogger<EngineWatchdog>.Instance);

        Assert.Equal(TimeSpan.FromSeconds(intervalSeconds), watchdog.Interval);
    }

    private static async IAsyncEnumerable<GenerationEvent> Never([EnumeratorCancellation] CancellationToken token)
    {
        await Task.Delay(System.Threading.Timeout.Infinite, token);
        yield break;
    }

    private bool Look() => _watchdog.CheckOnce();

    private bool LookAfter(TimeSpan wait)
    {
        _time.Advance(wait);
        return _watchdog.CheckOnce();
    }

    private HealthStatus Health() =>
        new EngineStallHealthCheck(_stall).CheckHealthAsync(new HealthCheckContext()).GetAwaiter().GetResult().Status;
}
