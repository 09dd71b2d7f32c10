using InferenceCluster.Contracts;
using InferenceCluster.Gateway.Configuration;
using InferenceCluster.Gateway.Broker;
using InferenceCluster.Gateway.Workers;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace InferenceCluster.Gateway.Tests;

public sealed class WorkerRegistryTests
{
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

    [Fact]
    public async Task Find_HeartbeatsMissedWhileTheBusWasDown_WorkerStaysLiveUntilItCouldHaveSentOne()
    {
        var clock = new ManualClock();
        var bus = new BusConnection(clock, NullLogger<BusConnection>.Instance);
        var registry = new WorkerRegistry(clock, Options.Create(new GatewayOptions { WorkerLiveness = TimeSpan.FromSeconds(15) }), bus);
        await bus.Ready(null!);
        registry.Record(Beat("w1", "m", "r1"));

        clock.Now += TimeSpan.FromSeconds(10);
        await bus.Stopping(null!);
        Assert.False(bus.IsUp);
        clock.Now += TimeSpan.FromSeconds(20);
        Assert.Equal(1, registry.Find("m").LiveWorkers);
        await bus.Ready(null!);
        clock.Now += TimeSpan.FromSeconds(4);
        Assert.Equal(1, registry.Find("m").LiveWorkers);

        // No heartbeat for a whole liveness period after the bus came back: that silence is the worker's.
        clock.Now += TimeSpan.FromSeconds(12);
        Assert.Equal(0, registry.Find("m").LiveWorkers);
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
