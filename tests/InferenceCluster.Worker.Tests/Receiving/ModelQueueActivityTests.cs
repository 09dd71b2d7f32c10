using InferenceCluster.Contracts;
using InferenceCluster.Worker.Receiving;
using InferenceCluster.Worker.Tests.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

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
        // The heartbeat loop beats only when the test moves its clock, so no beat is on its way when the count is taken.
        var clock = new FakeTimeProvider();
        var interval = TimeSpan.FromSeconds(10);
        await using var worker = await WorkerHarness.StartAsync(
            new FakeInferenceEngine((_, _) => FakeInferenceEngine.Tokens([])),
            new Dictionary<string, string?> { ["Worker:Id"] = "w1", ["Worker:HeartbeatInterval"] = interval.ToString() },
            services => services.AddSingleton<TimeProvider>(clock));
        Assert.True(await WaitAsync(() => worker.Messages.Of<WorkerHeartbeat>().Count == 1), "no heartbeat at start");
        clock.Advance(interval);
        Assert.True(await WaitAsync(() => worker.Messages.Of<WorkerHeartbeat>().Count == 2), "no heartbeat an interval later");

        worker.Services.GetRequiredService<ModelQueueActivity>().MarkDeaf("test");
        for (var tick = 0; tick < 3; tick++)
        {
            // A tick the loop has not reached yet is kept by its timer: it comes after the mark either way.
            clock.Advance(interval);
            await Task.Delay(100);
        }

        Assert.Equal(2, worker.Messages.Of<WorkerHeartbeat>().Count);
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
