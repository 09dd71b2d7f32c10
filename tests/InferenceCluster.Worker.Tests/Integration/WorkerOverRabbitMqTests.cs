using InferenceCluster.Contracts;
using InferenceCluster.Worker.Tests.Fakes;
using MassTransit;
using Microsoft.Extensions.Hosting;

namespace InferenceCluster.Worker.Tests.Integration;

[Collection(RabbitMqCollection.Name)]
public sealed class WorkerOverRabbitMqTests(RabbitMqFixture rabbit)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Worker_StreamedRequestOverRabbitMq_DeltasAndFinalCarryEveryTokenToTheReplyQueue()
    {
        var broker = rabbit.RequireBroker();
        var model = $"it-{Guid.NewGuid():N}";
        string[] tokens = [.. Enumerable.Range(0, 40).Select(i => $"w{i} ")];
        using var worker = await WorkerHost.StartAsync(broker, $"it-worker-{Guid.NewGuid():N}", new FakeInferenceEngine((_, _) => FakeInferenceEngine.Tokens(tokens), modelId: model));
        await using var gateway = await ReplyListener.StartAsync(broker);
        var command = Command(model, gateway.ReplyAddress);

        await gateway.SendAsync(command);
        var finished = await gateway.WaitForAsync<CompletionFinished>(m => m.RequestId == command.RequestId, Patience);

        var deltas = gateway.Of<CompletionDelta>(m => m.RequestId == command.RequestId).OrderBy(d => d.Position).ToList();
        Assert.Equal(0, deltas[0].Position);
        Assert.All(deltas.Skip(1).Zip(deltas), pair => Assert.Equal(pair.Second.Position + pair.Second.Tokens.Count, pair.First.Position));
        Assert.Equal(tokens.Length, finished.Position);
        Assert.Equal(tokens, deltas.SelectMany(d => d.Tokens).Concat(finished.Tokens ?? []));
        await worker.StopAsync();
    }

    [Fact]
    public async Task Worker_Heartbeat_ReachesSubscribersOverRabbitMq()
    {
        var broker = rabbit.RequireBroker();
        var model = $"it-{Guid.NewGuid():N}";
        var workerId = $"it-worker-{Guid.NewGuid():N}";
        var heartbeats = new List<WorkerHeartbeat>();
        var subscriber = MassTransit.Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(broker);
            cfg.ReceiveEndpoint($"it-heartbeats-{Guid.NewGuid():N}", e =>
            {
                e.AutoDelete = true;
                e.Durable = false;
                e.Handler<WorkerHeartbeat>(context =>
                {
                    lock (heartbeats)
                    {
                        heartbeats.Add(context.Message);
                    }

                    return Task.CompletedTask;
                });
            });
        });
        await subscriber.StartAsync();
        try
        {
            using var worker = await WorkerHost.StartAsync(broker, workerId, new FakeInferenceEngine((_, _) => FakeInferenceEngine.Tokens(["a"]), modelId: model, capacity: 6));

            var until = DateTime.UtcNow + Patience;
            WorkerHeartbeat? mine = null;
            while (mine is null && DateTime.UtcNow < until)
            {
                await Task.Delay(50);
                lock (heartbeats)
                {
                    mine = heartbeats.FirstOrDefault(h => h.WorkerId == workerId);
                }
            }

            Assert.NotNull(mine);
            Assert.Equal(model, mine.ModelId);
            Assert.Equal(6, mine.Capacity);
            await worker.StopAsync();
        }
        finally
        {
            await subscriber.StopAsync();
        }
    }

    [Fact]
    public async Task Worker_StopsMidRequest_CommandRedeliveredToAnotherWorker()
    {
        var broker = rabbit.RequireBroker();
        var model = $"it-{Guid.NewGuid():N}";
        await using var gateway = await ReplyListener.StartAsync(broker);
        var command = Command(model, gateway.ReplyAddress);

        // Worker A takes the request and is still generating when it is told to stop.
        var slow = new FakeInferenceEngine((_, token) => FakeInferenceEngine.Endless(TimeSpan.FromMilliseconds(20), token), modelId: model);
        using (var workerA = await WorkerHost.StartAsync(broker, "it-worker-a", slow, consumerStopTimeout: TimeSpan.FromMilliseconds(300)))
        {
            await gateway.SendAsync(command);
            await gateway.WaitForAsync<CompletionDelta>(m => m.RequestId == command.RequestId, Patience);
            await workerA.StopAsync();
        }

        Assert.Empty(gateway.Of<CompletionFinished>(m => m.RequestId == command.RequestId));
        Assert.Empty(gateway.Of<CompletionFailed>(m => m.RequestId == command.RequestId));

        // The unacknowledged command went back to the model's queue; worker B finishes it.
        using var workerB = await WorkerHost.StartAsync(broker, "it-worker-b", new FakeInferenceEngine((_, _) => FakeInferenceEngine.Tokens(["done"]), modelId: model));
        var finished = await gateway.WaitForAsync<CompletionFinished>(m => m.RequestId == command.RequestId, Patience);

        Assert.Equal("it-worker-b", finished.WorkerId);
        Assert.Equal(1, slow.Calls);
        await workerB.StopAsync();
    }

    private static GenerateCompletion Command(string model, Uri replyAddress) => new()
    {
        RequestId = Guid.NewGuid(),
        Model = model,
        Prompt = "hello",
        Config = new GenerationConfig { DoSample = false, Temperature = 0, TopP = 1, MaxTokens = 64 },
        Stream = true,
        ReplyAddress = replyAddress,
        Deadline = DateTimeOffset.UtcNow.AddMinutes(5),
        EnqueuedAt = DateTimeOffset.UtcNow,
    };
}
