using InferenceCluster.Contracts;
using InferenceCluster.ServiceDefaults;
using InferenceCluster.Worker.Receiving;
using InferenceCluster.Worker.Tests.Fakes;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace InferenceCluster.Worker.Tests.Receiving;

public sealed class InstanceQueueWiringTests
{
    [Fact]
    public async Task InstanceEndpoints_TakeProbesSentToThem_AndAreFollowed()
    {
        await using var worker = await WorkerHarness.StartAsync(new FakeInferenceEngine((_, _) => FakeInferenceEngine.Tokens([])));
        var queues = worker.Services.GetRequiredService<InstanceQueues>().All;
        var probes = worker.Services.GetRequiredService<ReceiveProbes>();

        // The cancel and the gateway-heartbeat queue, not the model's shared queue.
        Assert.Equal(2, queues.Count);

        // MassTransit reports an endpoint ready on its own time; a probe published before would prove nothing.
        var until = DateTime.UtcNow.AddSeconds(30);
        while (!queues.All(queue => queue.IsReady) && DateTime.UtcNow < until)
        {
            await Task.Delay(20);
        }

        // Only sent probes arrive: one published would reach every worker's queues.
        var published = new ReceiveProbe { ProbeId = Guid.NewGuid(), SentAt = DateTimeOffset.UtcNow };
        var publishedArrival = probes.Expect(published.ProbeId);
        await worker.Harness.Bus.Publish(published);
        await Task.Delay(500);
        Assert.False(publishedArrival.IsCompleted, "a published probe reached one of the worker's queues");
        probes.Forget(published.ProbeId);

        Assert.All(queues, queue => Assert.Contains("worker-under-test", queue.Name, StringComparison.Ordinal));
        foreach (var queue in queues)
        {
            Assert.True(queue.IsReady, queue.Name);
            var probe = new ReceiveProbe { ProbeId = Guid.NewGuid(), SentAt = DateTimeOffset.UtcNow };
            var arrival = probes.Expect(probe.ProbeId);
            var endpoint = await worker.Harness.Bus.GetSendEndpoint(queue.Address);
            await endpoint.Send(probe);

            await arrival.WaitAsync(TimeSpan.FromSeconds(10));
            Assert.True(queue.Deliveries >= 1, queue.Name);
            probes.Forget(probe.ProbeId);
        }
    }
}
