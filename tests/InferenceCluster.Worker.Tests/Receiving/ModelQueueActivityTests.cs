using InferenceCluster.Contracts;
using InferenceCluster.Worker.Receiving;
using InferenceCluster.Worker.Tests.Fakes;
using Microsoft.Extensions.DependencyInjection;

namespace InferenceCluster.Worker.Tests.Receiving;

public sealed class ModelQueueActivityTests
{
    [Fact]
    public async Task Consume_Request_CountedAsTakenAndItsSlotFreedAfter()
    {
        await using var worker = await WorkerHarness.StartAsync(new FakeInferenceEngine((_, _) => FakeInferenceEngine.Tokens(["a", "b"])));
        var activity = worker.Services.GetRequiredService<ModelQueueActivity>();
        var command = WorkerHarness.Command(stream: true);

        await worker.SendAsync(command);
        await worker.WaitForRepliesAsync(command.RequestId);

        Assert.Equal(1, activity.Taken);
        Assert.True(await WaitAsync(() => activity.Active == 0), $"{activity.Active} requests still hold a slot after their final message");
    }

    [Fact]
    public async Task BusStarted_ModelEndpointReportedReady()
    {
        await using var worker = await WorkerHarness.StartAsync(new FakeInferenceEngine((_, _) => FakeInferenceEngine.Tokens([])));
        var activity = worker.Services.GetRequiredService<ModelQueueActivity>();

        Assert.True(await WaitAsync(() => activity.EndpointReady), "MassTransit never reported the model queue's endpoint ready to the receive check");
        Assert.True(activity.EndpointEpoch > 0);
    }

    [Fact]
    public async Task Deaf_HeartbeatsStop()
    {
        await using var worker = await WorkerHarness.StartAsync(
            new FakeInferenceEngine((_, _) => FakeInferenceEngine.Tokens([])),
            new Dictionary<string, string?> { ["Worker:Id"] = "w1", ["Worker:HeartbeatInterval"] = "00:00:00.050" });
        Assert.True(await WaitAsync(() => worker.Messages.Of<WorkerHeartbeat>().Count > 0), "no heartbeat before the worker went deaf");

        worker.Services.GetRequiredService<ModelQueueActivity>().MarkDeaf("test");
        await Task.Delay(200);
        var beats = worker.Messages.Of<WorkerHeartbeat>().Count;
        await Task.Delay(500);

        Assert.Equal(beats, worker.Messages.Of<WorkerHeartbeat>().Count);
    }

    private static async Task<bool> WaitAsync(Func<bool> condition)
    {
        var until = DateTime.UtcNow.AddSeconds(10);
        while (!condition() && DateTime.UtcNow < until)
        {
            await Task.Delay(20);
        }

        return condition();
    }
}
