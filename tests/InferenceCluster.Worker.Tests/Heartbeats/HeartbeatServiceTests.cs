using InferenceCluster.Contracts;
using InferenceCluster.Worker.Tests.Fakes;

namespace InferenceCluster.Worker.Tests.Heartbeats;

public sealed class HeartbeatServiceTests
{
    [Fact]
    public async Task Start_PublishesHeartbeatDescribingWorkerAndModel()
    {
        var engine = new FakeInferenceEngine((_, _) => FakeInferenceEngine.Tokens(["a"]), modelId: "tiny-model", capacity: 3);
        await using var worker = await WorkerHarness.StartAsync(engine, new Dictionary<string, string?>
        {
            ["Worker:Id"] = "gpu-node-7",
            ["Worker:HeartbeatInterval"] = "00:00:00.100",
        });

        var heartbeat = await FirstHeartbeatAsync(worker);

        Assert.Equal("gpu-node-7", heartbeat.WorkerId);
        Assert.Equal("tiny-model", heartbeat.ModelId);
        Assert.Equal("rev-1", heartbeat.ModelRevision);
        Assert.Equal(3, heartbeat.Capacity);
        Assert.Equal(0, heartbeat.InFlight);
        Assert.Equal(2048, heartbeat.ContextLength);
        Assert.InRange(heartbeat.SentAt, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task Interval_Configured_HeartbeatsRepeat()
    {
        var engine = new FakeInferenceEngine((_, _) => FakeInferenceEngine.Tokens(["a"]));
        await using var worker = await WorkerHarness.StartAsync(engine, new Dictionary<string, string?>
        {
            ["Worker:HeartbeatInterval"] = "00:00:00.050",
        });

        var until = DateTime.UtcNow.AddSeconds(10);
        while (worker.Messages.Of<WorkerHeartbeat>().Count < 3 && DateTime.UtcNow < until)
        {
            await Task.Delay(50);
        }

        var beats = worker.Messages.Of<WorkerHeartbeat>();
        Assert.True(beats.Count >= 3, $"only {beats.Count} heartbeats in 10 s at a 50 ms interval");
        Assert.All(beats, b => Assert.Equal(beats[0].WorkerId, b.WorkerId));
        Assert.Matches("^.+-[0-9]+$", beats[0].WorkerId);
    }

    private static async Task<WorkerHeartbeat> FirstHeartbeatAsync(WorkerHarness worker)
    {
        var until = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < until)
        {
            if (worker.Messages.Of<WorkerHeartbeat>() is [var first, ..])
            {
                return first;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException("no heartbeat within 10 s");
    }
}
