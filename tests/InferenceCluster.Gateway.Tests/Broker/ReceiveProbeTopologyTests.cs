using InferenceCluster.Contracts;
using InferenceCluster.Gateway.Broker;
using InferenceCluster.Gateway.Tests.Fakes;
using InferenceCluster.ServiceDefaults;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace InferenceCluster.Gateway.Tests.Broker;

/// <summary>A probe goes only to the queue it was sent to: no queue of any gateway subscribes to probes.</summary>
public sealed class ReceiveProbeTopologyTests
{
    [Fact]
    public async Task PublishedProbe_ReachesNoEndpoint_WhileOneSentArrives()
    {
        await using var gateway = await HermeticGateway.StartAsync(builder => builder.Logging.SetMinimumLevel(LogLevel.Warning));
        var services = gateway.App.Services;
        var endpoints = services.GetServices<IProbedEndpoint>().ToList();
        await Eventually.TrueAsync(() => endpoints.All(endpoint => endpoint.IsReady));
        var probes = services.GetRequiredService<ReceiveProbes>();
        var bus = services.GetRequiredService<IBus>();

        // A probe bound to the heartbeat queue would reach every gateway's queue, and one gateway's probe would
        // count as another's receiving.
        var published = NewProbe();
        var publishedArrival = probes.Expect(published.ProbeId);
        await bus.Publish(published);
        await Task.Delay(500);
        Assert.False(publishedArrival.IsCompleted, "a published probe reached one of the gateway's endpoints");

        var heartbeats = endpoints.Single(endpoint => endpoint.Name == "gateway-heartbeats");
        var sent = NewProbe();
        var sentArrival = probes.Expect(sent.ProbeId);
        await heartbeats.SendProbeAsync(sent, CancellationToken.None);
        await sentArrival.WaitAsync(TimeSpan.FromSeconds(10));
    }

    private static ReceiveProbe NewProbe() => new() { ProbeId = Guid.NewGuid(), SentAt = DateTimeOffset.UtcNow };
}
