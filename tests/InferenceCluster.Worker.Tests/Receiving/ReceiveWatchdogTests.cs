using InferenceCluster.Worker.Receiving;
using InferenceCluster.Worker.Tests.Fakes;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;

namespace InferenceCluster.Worker.Tests.Receiving;

public sealed class ReceiveWatchdogTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    private readonly ManualTimeProvider _time = new();
    private readonly FakeQueueDepthReader _broker = new() { Ready = 3 };
    private readonly FakeWorkerRestart _restart = new();
    private readonly ModelQueueActivity _activity;
    private readonly FakeLogger<ReceiveWatchdog> _log = new();
    private readonly ReceiveWatchdog _watchdog;

    public ReceiveWatchdogTests()
    {
        _activity = new ModelQueueActivity(_time);
        var engine = new FakeInferenceEngine((_, _) => FakeInferenceEngine.Tokens([]), modelId: "tiny", capacity: 2);
        _watchdog = new ReceiveWatchdog(
            _activity,
            _broker,
            _restart,
            engine,
            Options.Create(new WorkerOptions { Id = "w1", ReceiveCheckInterval = Interval }),
            _time,
            _log);

        // Ready since the start, idle for a while.
        _activity.EndpointChanged(ready: true);
        _time.Advance(Interval);
    }

    [Fact]
    public async Task Check_RequestsWaitingOnTwoLooksWhileIdle_DeafAndRestarts()
    {
        Assert.False(await LookAsync());
        Assert.True(await LookAsync());

        Assert.True(_activity.IsDeaf);
        Assert.Contains("generate-tiny", _activity.Deafness, StringComparison.Ordinal);
        Assert.Equal(1, _restart.Requests);
        Assert.All(_broker.Queues, queue => Assert.Equal("generate-tiny", queue));

        // Once is enough: the worker is on its way out.
        Assert.False(await LookAsync());
        Assert.Equal(1, _restart.Requests);
    }

    [Fact]
    public async Task Check_NoFreeSlot_NotDeaf()
    {
        _activity.Take();
        _activity.Take();
        _time.Advance(Interval);

        Assert.False(await LookAsync());
        Assert.False(await LookAsync());
        Assert.False(await LookAsync());

        Assert.False(_activity.IsDeaf);
        Assert.Equal(0, _restart.Requests);
    }

    [Fact]
    public async Task Check_SlotFreedJustBeforeALook_QuietCountsFromThen()
    {
        // Full for a long time: nothing could be taken, so the time before the slot freed is no evidence.
        _activity.Take();
        _activity.Take();
        _time.Advance(5 * Interval);
        _activity.Finish();

        Assert.False(await LookAsync());
        Assert.False(await LookAsync());

        Assert.Equal(0, _restart.Requests);
        Assert.True(await LookAsync());
    }

    [Fact]
    public async Task Check_RequestTakenBetweenLooks_NotDeaf()
    {
        Assert.False(await LookAsync());
        _activity.Take();
        _activity.Finish();
        _time.Advance(Interval);

        Assert.False(await LookAsync());

        Assert.Equal(0, _restart.Requests);
    }

    [Fact]
    public async Task Check_RequestTakenWhileTheBrokerIsAsked_NotDeaf()
    {
        Assert.False(await LookAsync());
        _broker.DuringRead = () =>
        {
            _activity.Take();
            _activity.Finish();
        };

        Assert.False(await LookAsync());

        Assert.Equal(0, _restart.Requests);
    }

    [Fact]
    public async Task Check_RequestsArrivingSteadily_NotDeaf()
    {
        for (var look = 0; look < 5; look++)
        {
            Assert.False(await LookAsync());
            _activity.Take();
            _activity.Finish();
        }

        Assert.Equal(0, _restart.Requests);
    }

    [Fact]
    public async Task Check_QueueEmpty_NotDeaf()
    {
        _broker.Ready = 0;

        Assert.False(await LookAsync());
        Assert.False(await LookAsync());
        Assert.False(await LookAsync());

        Assert.Equal(0, _restart.Requests);
    }

    [Fact]
    public async Task Check_QueueEmptyBetweenTwoLooksWithRequests_NotDeaf()
    {
        Assert.False(await LookAsync());
        _broker.Ready = 0;
        Assert.False(await LookAsync());
        _broker.Ready = 3;

        Assert.False(await LookAsync());

        Assert.Equal(0, _restart.Requests);
    }

    [Fact]
    public async Task Check_BrokerUnreachable_UnknownNotDeaf()
    {
        _broker.Failure = new InvalidOperationException("connection refused");

        Assert.False(await LookAsync());
        Assert.False(await LookAsync());
        Assert.False(await LookAsync());

        Assert.False(_activity.IsDeaf);
        Assert.Equal(0, _restart.Requests);
    }

    [Fact]
    public async Task Check_BrokerUnreachableBetweenTwoLooksWithRequests_CountStartsAgain()
    {
        Assert.False(await LookAsync());
        _broker.Failure = new InvalidOperationException("connection refused");
        Assert.False(await LookAsync());
        _broker.Failure = null;

        Assert.False(await LookAsync());
        Assert.True(await LookAsync());
    }

    [Fact]
    public async Task Check_EndpointNotReady_NotDeaf()
    {
        // MassTransit saw the fault and restarts the endpoint on its own back-off; the queue waits meanwhile.
        _activity.EndpointChanged(ready: false);

        Assert.False(await LookAsync());
        Assert.False(await LookAsync());
        Assert.False(await LookAsync());

        Assert.Empty(_broker.Queues);
        Assert.Equal(0, _restart.Requests);
    }

    [Fact]
    public async Task Check_EndpointRestartedBetweenLooks_CountStartsAgain()
    {
        Assert.False(await LookAsync());
        _activity.EndpointChanged(ready: false);
        _activity.EndpointChanged(ready: true);
        _time.Advance(Interval);

        Assert.False(await LookAsync());
        Assert.True(await LookAsync());
    }

    [Fact]
    public async Task Check_JustStarted_WaitsAnIntervalBeforeJudging()
    {
        var activity = new ModelQueueActivity(_time);
        activity.EndpointChanged(ready: true);
        var watchdog = new ReceiveWatchdog(
            activity,
            _broker,
            _restart,
            new FakeInferenceEngine((_, _) => FakeInferenceEngine.Tokens([]), modelId: "tiny", capacity: 2),
            Options.Create(new WorkerOptions { Id = "w1", ReceiveCheckInterval = Interval }),
            _time,
            _log);

        _time.Advance(Interval / 2);
        Assert.False(await watchdog.CheckOnceAsync(CancellationToken.None));
        _time.Advance(Interval / 2);
        Assert.False(await watchdog.CheckOnceAsync(CancellationToken.None));
        _time.Advance(Interval);
        Assert.True(await watchdog.CheckOnceAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Check_HostStopping_NotDeaf()
    {
        await _watchdog.StoppingAsync(CancellationToken.None);

        Assert.False(await LookAsync());
        Assert.False(await LookAsync());

        Assert.Equal(0, _restart.Requests);
    }

    [Fact]
    public async Task HealthCheck_Deaf_Unhealthy()
    {
        var health = new ReceivingHealthCheck(_activity);
        Assert.Equal(
            Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy,
            (await health.CheckHealthAsync(new())).Status);

        await LookAsync();
        await LookAsync();

        var result = await health.CheckHealthAsync(new());
        Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Unhealthy, result.Status);
        Assert.Contains("generate-tiny", result.Description, StringComparison.Ordinal);
    }

    /// <summary>One look, then the clock moves on by an interval as the watchdog's timer would.</summary>
    [Fact]
    public async Task Check_DepthReadFailsNamingTheBrokerWithItsUser_WarnedWithoutUserOrPassword()
    {
        _broker.Failure = new InvalidOperationException(LogAssert.BusError);

        Assert.False(await LookAsync());

        var warning = Assert.Single(_log.Collector.GetSnapshot());
        Assert.Contains("Cannot check that this worker receives on generate-tiny: Broker unreachable: ***@rabbit:5672/", warning.Message, StringComparison.Ordinal);
        LogAssert.NoBrokerCredentials(warning);
    }

    private async Task<bool> LookAsync()
    {
        var deaf = await _watchdog.CheckOnceAsync(CancellationToken.None);
        _time.Advance(Interval);
        return deaf;
    }
}
