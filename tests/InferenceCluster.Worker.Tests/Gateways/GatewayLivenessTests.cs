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

    private GatewayLiveness Create() => new(
        Options.Create(new WorkerOptions { Id = "worker-under-test", GatewayLiveness = Liveness }), _time, NullLogger<GatewayLiveness>.Instance);

    private static RunningRequest Request() => new(Guid.NewGuid(), CancellationToken.None, TimeSpan.FromHours(1), _ => { });
}
