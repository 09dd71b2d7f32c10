using InferenceCluster.Worker.Execution;
using InferenceCluster.Worker.Gateways;
using InferenceCluster.Worker.Tests.Fakes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace InferenceCluster.Worker.Tests.Gateways;

public sealed class GatewayLivenessTests
{
    private static readonly Uri Gateway = new("rabbitmq://127.0.0.1/gateway-replies-a?temporary=true");
    private static readonly TimeSpan Liveness = TimeSpan.FromSeconds(3);
    private readonly ManualTimeProvider _time = new();

    [Fact]
    public void StopOrphans_GatewayKeepsBeating_RequestRuns()
    {
        var liveness = Create();
        using var request = Request();
        using var watch = liveness.Watch(Gateway, request);

        for (var second = 0; second < 10; second++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            liveness.Beat(Gateway);
            Assert.Equal(0, liveness.StopOrphans());
        }

        Assert.False(request.Token.IsCancellationRequested);
        Assert.False(watch.Lost);
    }

    [Fact]
    public void StopOrphans_GatewaySilentLongerThanLiveness_StopsTheRequestAndMarksItsWatchLost()
    {
        var liveness = Create();
        using var request = Request();
        using var watch = liveness.Watch(Gateway, request);
        liveness.Beat(Gateway);

        _time.Advance(Liveness);
        Assert.Equal(0, liveness.StopOrphans());
        _time.Advance(TimeSpan.FromMilliseconds(100));

        Assert.Equal(1, liveness.StopOrphans());
        Assert.True(request.Token.IsCancellationRequested);
        Assert.True(watch.Lost);
        Assert.Equal(0, liveness.Watching);
    }

    [Fact]
    public void StopOrphans_GatewayNeverHeard_GetsTheLivenessFromTheRequestStart()
    {
        var liveness = Create();
        _time.Advance(TimeSpan.FromMinutes(5));
        using var request = Request();
        using var watch = liveness.Watch(Gateway, request);

        _time.Advance(Liveness - TimeSpan.FromMilliseconds(100));
        Assert.Equal(0, liveness.StopOrphans());
        _time.Advance(TimeSpan.FromMilliseconds(200));
        Assert.Equal(1, liveness.StopOrphans());
    }

    [Fact]
    public void Dispose_EndsTheWatch()
    {
        var liveness = Create();
        using var request = Request();
        liveness.Watch(Gateway, request).Dispose();

        _time.Advance(Liveness * 2);

        Assert.Equal(0, liveness.StopOrphans());
        Assert.False(request.Token.IsCancellationRequested);
    }

    [Fact]
    public async Task StopOrphansAsync_GatewaySilentAndThisWorkerPublishes_StopsTheRequest()
    {
        var liveness = Create();
        using var request = Request();
        using var watch = liveness.Watch(Gateway, request);
        var publishing = new PublishCheck(canPublish: true);

        _time.Advance(Liveness + TimeSpan.FromMilliseconds(100));

        Assert.Equal(1, await liveness.StopOrphansAsync(publishing, CancellationToken.None));
        Assert.True(watch.Lost);
        Assert.Equal(1, publishing.Checks);
    }

    [Fact]
    public async Task StopOrphansAsync_GatewaySilentWhileThisWorkerCannotPublishEither_RunsOnAndGetsItsLivenessFromTheLastFailedCheck()
    {
        var liveness = Create();
        using var request = Request();
        using var watch = liveness.Watch(Gateway, request);
        var publishing = new PublishCheck(canPublish: false);

        // A broker alarm: the gateway's beats and this worker's publishes are all held, for a minute.
        for (var waited = TimeSpan.Zero; waited < TimeSpan.FromMinutes(1); waited += TimeSpan.FromMilliseconds(500))
        {
            _time.Advance(TimeSpan.FromMilliseconds(500));
            Assert.Equal(0, await liveness.StopOrphansAsync(publishing, CancellationToken.None));
        }

        publishing.CanPublish = true;
        _time.Advance(Liveness - TimeSpan.FromMilliseconds(100));
        Assert.Equal(0, await liveness.StopOrphansAsync(publishing, CancellationToken.None));
        Assert.False(request.Token.IsCancellationRequested);

        // Publishes go through again and the gateway still says nothing: it is gone.
        _time.Advance(TimeSpan.FromMilliseconds(200));
        Assert.Equal(1, await liveness.StopOrphansAsync(publishing, CancellationToken.None));
        Assert.True(watch.Lost);
    }

    [Fact]
    public async Task StopOrphansAsync_NoGatewaySilent_PublishesNoCheck()
    {
        var liveness = Create();
        using var request = Request();
        using var watch = liveness.Watch(Gateway, request);
        var publishing = new PublishCheck(canPublish: true);

        _time.Advance(Liveness - TimeSpan.FromMilliseconds(100));

        Assert.Equal(0, await liveness.StopOrphansAsync(publishing, CancellationToken.None));
        Assert.Equal(0, publishing.Checks);
    }

    private GatewayLiveness Create() => new(
        Options.Create(new WorkerOptions { Id = "worker-under-test", GatewayLiveness = Liveness }), _time, NullLogger<GatewayLiveness>.Instance);

    private static RunningRequest Request() => new(Guid.NewGuid(), CancellationToken.None, TimeSpan.FromHours(1), _ => { });

    /// <summary>A broker that takes this worker's publishes, or holds them.</summary>
    private sealed class PublishCheck(bool canPublish) : IPublishCheck
    {
        public bool CanPublish { get; set; } = canPublish;

        public int Checks { get; private set; }

        public Task<bool> CanPublishAsync(CancellationToken cancellationToken)
        {
            Checks++;
            return Task.FromResult(CanPublish);
        }
    }
}
