using InferenceCluster.Gateway.Configuration;
using InferenceCluster.Gateway.Workers;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace InferenceCluster.Gateway.Tests;

/// <summary>When <see cref="HeartbeatReception.Discovering"/> says a live worker may not have been heard yet (liveness 15 s, grace 30 s).</summary>
public sealed class HeartbeatReceptionTests
{
    private static readonly TimeSpan Liveness = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(1);

    private readonly FakeTimeProvider _clock = new();
    private readonly HeartbeatReception _reception;
    private readonly DateTimeOffset _start;

    public HeartbeatReceptionTests()
    {
        _start = _clock.GetUtcNow();
        var options = Options.Create(new GatewayOptions { WorkerLiveness = Liveness, WorkerReconnectGrace = Grace });
        _reception = new HeartbeatReception(_clock, options, NullLogger<HeartbeatReception>.Instance);
    }

    [Fact]
    public void Discovering_EndpointNotReadyYet_SinceStartWithNoEnd()
    {
        _clock.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal(new WorkerDiscovery(_start, null), _reception.Discovering());
    }

    [Fact]
    public async Task Discovering_EndpointReadyAtStart_EndsLivenessAfterIt()
    {
        _clock.Advance(TimeSpan.FromSeconds(2));
        await _reception.Ready(null!);
        var ready = _clock.GetUtcNow();

        _clock.Advance(Liveness - Tick);
        Assert.Equal(new WorkerDiscovery(_start, ready + Liveness), _reception.Discovering());
        _clock.Advance(Tick);
        Assert.Null(_reception.Discovering());

        // Ready again without having been down (a replaced endpoint reporting in) changes nothing.
        await _reception.Ready(null!);
        Assert.Null(_reception.Discovering());
    }

    [Fact]
    public async Task Discovering_BrokerUnreachableAtStart_EndsLivenessPlusGraceAfterTheEndpointIsReady()
    {
        // The workers lost the broker too and reconnect on their own back-off: they get the grace they get after any outage.
        _clock.Advance(TimeSpan.FromSeconds(1));
        await _reception.Faulted(new FaultedStub());
        _clock.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal(new WorkerDiscovery(_start, null), _reception.Discovering());
        await _reception.Ready(null!);
        var ready = _clock.GetUtcNow();

        _clock.Advance(Liveness + Grace - Tick);
        Assert.Equal(new WorkerDiscovery(_start, ready + Liveness + Grace), _reception.Discovering());
        _clock.Advance(Tick);
        Assert.Null(_reception.Discovering());
    }

    [Fact]
    public async Task Discovering_OutageLaterOn_FromItsStartUntilLivenessPlusGraceAfterItEnds()
    {
        await _reception.Ready(null!);
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Null(_reception.Discovering());

        await _reception.Completed(null!);
        var outage = _clock.GetUtcNow();
        _clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(new WorkerDiscovery(outage, null), _reception.Discovering());
        await _reception.Ready(null!);
        var back = _clock.GetUtcNow();

        _clock.Advance(Liveness + Grace - Tick);
        Assert.Equal(new WorkerDiscovery(outage, back + Liveness + Grace), _reception.Discovering());
        _clock.Advance(Tick);
        Assert.Null(_reception.Discovering());
    }

    [Fact]
    public void Discovering_RegistryWithoutReception_NeverDiscovering()
    {
        var registry = new WorkerRegistry(_clock, Options.Create(new GatewayOptions()));

        Assert.Null(registry.Discovering());
    }

    private sealed class FaultedStub : MassTransit.ReceiveEndpointFaulted
    {
        public Exception Exception { get; } = new InvalidOperationException("broker unreachable");

        public Uri InputAddress { get; } = new("loopback://localhost/gateway-heartbeats");

        public MassTransit.IReceiveEndpoint ReceiveEndpoint => throw new NotSupportedException();
    }
}
