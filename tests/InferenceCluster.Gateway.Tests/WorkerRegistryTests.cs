using InferenceCluster.Contracts;
using InferenceCluster.Gateway.Configuration;
using InferenceCluster.Gateway.Workers;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace InferenceCluster.Gateway.Tests;

public sealed class WorkerRegistryTests
{
    private static readonly TimeSpan Liveness = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(30);

    private sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static WorkerHeartbeat Beat(string worker, string model, string revision) => new()
    {
        WorkerId = worker, ModelId = model, ModelRevision = revision, Capacity = 4, InFlight = 0, ContextLength = 2048, SentAt = DateTimeOffset.UnixEpoch,
    };

    private static (WorkerRegistry Registry, ManualClock Clock) NewRegistry()
    {
        var clock = new ManualClock();
        return (new WorkerRegistry(clock, Options.Create(new GatewayOptions { WorkerLiveness = TimeSpan.FromSeconds(15) })), clock);
    }

    // Across a broker outage: liveness 5 s, reconnect grace 30 s.
    private static (WorkerRegistry Registry, HeartbeatReception Reception, ManualClock Clock) NewRegistryWithReception()
    {
        var clock = new ManualClock();
        var options = Options.Create(new GatewayOptions { WorkerLiveness = Liveness, WorkerReconnectGrace = Grace });
        var reception = new HeartbeatReception(clock, options, NullLogger<HeartbeatReception>.Instance);
        return (new WorkerRegistry(clock, options, reception), reception, clock);
    }

    [Fact]
    public async Task Find_WorkerNotHeardYetAfterTheHeartbeatEndpointReconnected_StaysLiveForLivenessPlusGrace()
    {
        var (registry, reception, clock) = NewRegistryWithReception();
        registry.Record(Beat("w1", "m", "r1"));
        clock.Now += TimeSpan.FromSeconds(1);
        await reception.Completed(null!);
        clock.Now += TimeSpan.FromSeconds(10);
        Assert.Equal(1, registry.Find("m").LiveWorkers);

        // The endpoint is back; the worker's own connection is still waiting out its reconnect back-off.
        await reception.Ready(null!);
        clock.Now += TimeSpan.FromSeconds(8);
        Assert.Equal(1, registry.Find("m").LiveWorkers);
        clock.Now += Liveness + Grace - TimeSpan.FromSeconds(8) - TimeSpan.FromMilliseconds(1);
        Assert.Equal(1, registry.Find("m").LiveWorkers);

        // Silent through liveness and grace after it could be heard again: that silence is the worker's.
        clock.Now += TimeSpan.FromMilliseconds(2);
        Assert.Equal(0, registry.Find("m").LiveWorkers);
    }

    [Fact]
    public async Task Find_HeartbeatEndpointFoundDeafLate_WorkersHeardUntilItStoppedReceivingStayLive()
    {
        // The endpoint stopped receiving without a fault; the self-check found out 30 s later, long past liveness.
        var (registry, reception, clock) = NewRegistryWithReception();
        registry.Record(Beat("w1", "m", "r1"));
        var lastReceived = clock.Now;
        clock.Now += TimeSpan.FromSeconds(30);
        reception.NotReceiving("its probe did not arrive", lastReceived);
        Assert.Equal(1, registry.Find("m").LiveWorkers);

        // Replaced and receiving again: the worker gets liveness plus grace to be heard, as after any outage.
        await reception.Ready(null!);
        clock.Now += Liveness + Grace - TimeSpan.FromMilliseconds(1);
        Assert.Equal(1, registry.Find("m").LiveWorkers);
        clock.Now += TimeSpan.FromMilliseconds(2);
        Assert.Equal(0, registry.Find("m").LiveWorkers);
    }

    [Fact]
    public void Find_HeartbeatEndpointFoundDeafLate_WorkerSilentBeforeItStoppedReceivingIsNotExcused()
    {
        var (registry, reception, clock) = NewRegistryWithReception();
        registry.Record(Beat("w1", "m", "r1"));
        clock.Now += Liveness + TimeSpan.FromSeconds(1);
        var lastReceived = clock.Now;
        clock.Now += TimeSpan.FromSeconds(20);
        reception.NotReceiving("its probe did not arrive", lastReceived);

        Assert.Equal(0, registry.Find("m").LiveWorkers);
    }

    [Fact]
    public async Task Find_WorkerHeardAgainAfterTheOutage_IsJudgedOnItsNewHeartbeatsAlone()
    {
        var (registry, reception, clock) = NewRegistryWithReception();
        registry.Record(Beat("w1", "m", "r1"));
        await reception.Stopping(null!);
        clock.Now += TimeSpan.FromSeconds(10);
        await reception.Ready(null!);
        clock.Now += TimeSpan.FromSeconds(2);
        registry.Record(Beat("w1", "m", "r1"));

        clock.Now += Liveness + TimeSpan.FromMilliseconds(1);

        Assert.Equal(0, registry.Find("m").LiveWorkers);
    }

    [Fact]
    public async Task Find_WorkerAlreadyGoneWhenTheOutageBegan_IsNotRevivedByIt()
    {
        var (registry, reception, clock) = NewRegistryWithReception();
        registry.Record(Beat("w1", "m", "r1"));
        clock.Now += Liveness + TimeSpan.FromSeconds(1);
        await reception.Completed(null!);
        Assert.Equal(0, registry.Find("m").LiveWorkers);
        clock.Now += TimeSpan.FromSeconds(10);
        await reception.Ready(null!);

        Assert.Equal(0, registry.Find("m").LiveWorkers);
    }

    [Fact]
    public async Task Find_SecondOutageBeforeWorkersCouldReconnect_ContinuesTheFirst()
    {
        var (registry, reception, clock) = NewRegistryWithReception();
        registry.Record(Beat("w1", "m", "r1"));
        await reception.Completed(null!);
        clock.Now += TimeSpan.FromSeconds(10);
        await reception.Ready(null!);
        clock.Now += TimeSpan.FromSeconds(3);
        await reception.Completed(null!);
        clock.Now += TimeSpan.FromSeconds(20);
        Assert.Equal(1, registry.Find("m").LiveWorkers);
        await reception.Ready(null!);
        clock.Now += Liveness + Grace - TimeSpan.FromSeconds(1);

        Assert.Equal(1, registry.Find("m").LiveWorkers);
    }

    [Fact]
    public void Find_NeverAnnounced_IsUnknown()
    {
        var (registry, _) = NewRegistry();

        Assert.False(registry.Find("m").IsKnown);
        Assert.False(registry.AnyLive);
    }

    [Fact]
    public void Find_AfterHeartbeat_IsLiveWithRevision()
    {
        var (registry, _) = NewRegistry();
        registry.Record(Beat("w1", "m", "r1"));
        registry.Record(Beat("w2", "m", "r1"));

        var availability = registry.Find("m");

        Assert.True(availability.IsKnown);
        Assert.Equal(2, availability.LiveWorkers);
        Assert.Equal("r1", availability.Revision);
        Assert.Equal(["m"], registry.LiveModels().Select(model => model.ModelId));
    }

    [Fact]
    public void Find_HeartbeatsStopped_KnownButNotLive()
    {
        var (registry, clock) = NewRegistry();
        registry.Record(Beat("w1", "m", "r1"));

        clock.Now += TimeSpan.FromSeconds(16);

        var availability = registry.Find("m");
        Assert.True(availability.IsKnown);
        Assert.Equal(0, availability.LiveWorkers);
        Assert.False(registry.AnyLive);
        Assert.Empty(registry.LiveModels());
    }

    [Fact]
    public void Find_WorkersDisagreeOnRevision_NoRevision()
    {
        var (registry, _) = NewRegistry();
        registry.Record(Beat("w1", "m", "r1"));
        registry.Record(Beat("w2", "m", "r2"));

        Assert.Null(registry.Find("m").Revision);
    }
}
