using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using InferenceCluster.Contracts;
using InferenceCluster.IntegrationTests.Cluster;
using MassTransit;
using RabbitMQ.Client;

namespace InferenceCluster.IntegrationTests.Telemetry;

/// <summary>
/// The gateway's <c>inference_cluster.queue.depth</c>, read from the real broker: work sent to a model whose worker
/// announces itself but does not consume stays in the model's queue and shows on /metrics, and the gauge falls back
/// to zero once the messages are taken.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class QueueDepthTests(ClusterFixture cluster)
{
    private const int Requests = 3;

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Scrape_WorkWaitingInAModelsQueue_DepthRisesThenFallsToZeroOnceTaken()
    {
        var model = "it-queue-depth-" + Guid.NewGuid().ToString("N")[..8];

        // A second model whose queue the test declares itself: its depth shows once the gateway has read the broker
        // with both models known, which is when the first one's missing depth means something.
        var witness = model + "-witness";
        var broker = ServerEnvironment.RabbitMq();
        var bus = Bus.Factory.CreateUsingRabbitMq(rabbit => rabbit.Host(broker));
        await bus.StartAsync();
        using var stop = new CancellationTokenSource();
        var announcing = AnnounceAsync(bus, [model, witness], stop.Token);
        using var abandon = new CancellationTokenSource();
        var requests = new List<Task>();
        try
        {
            await WaitUntilListedAsync(model);
            await WaitUntilListedAsync(witness);
            await DeclareAsync(broker, ModelQueue.Name(witness));

            // Known but never sent to, the model has no queue yet: no depth for it, and the other models' still read.
            var beforeAnySend = await ScrapeWhenAsync(scrape => Depth(scrape, witness) is not null);
            Assert.True(Depth(beforeAnySend, witness) == 0, $"the gateway never read the depth of {witness}'s queue within {Patience}");
            Assert.Null(Depth(beforeAnySend, model));
            Assert.NotNull(Depth(beforeAnySend, ClusterFixture.Model));

            requests.AddRange(Enumerable.Range(0, Requests).Select(i => SendAsync(model, i, abandon.Token)));

            var queued = await DepthWhenAsync(model, depth => depth == Requests);
            Assert.Equal(Requests, queued);

            // The clients give up, then a worker takes the messages (and would drop them as cancelled).
            await abandon.CancelAsync();
            var taken = await TakeAllAsync(broker, ModelQueue.Name(model));
            Assert.Equal(Requests, taken);

            var drained = await DepthWhenAsync(model, depth => depth == 0);
            Assert.Equal(0, drained);
        }
        finally
        {
            await abandon.CancelAsync();
            await stop.CancelAsync();
            await Task.WhenAll(requests.Append(announcing).Select(task => task.ContinueWith(_ => { }, TaskScheduler.Default)));
            await bus.StopAsync();
            await DeleteAsync(broker, ModelQueue.Name(witness));
        }
    }

    /// <summary>Heartbeats of a worker for each of <paramref name="models"/> that never consumes its queue.</summary>
    private static async Task AnnounceAsync(IBus bus, IReadOnlyList<string> models, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            foreach (var model in models)
            {
                await AnnounceOnceAsync(bus, model, stop);
            }

            await Task.Delay(TimeSpan.FromSeconds(1), stop);
        }
    }

    private static Task AnnounceOnceAsync(IBus bus, string model, CancellationToken stop) =>
        bus.Publish(
            new WorkerHeartbeat
            {
                WorkerId = "it-paused-" + model,
                ModelId = model,
                ModelRevision = "paused",
                Capacity = Requests,
                InFlight = 0,
                ContextLength = 2048,
                SentAt = DateTimeOffset.UtcNow,
            },
            stop);

    private async Task WaitUntilListedAsync(string model)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var list = await cluster.Http.GetFromJsonAsync<JsonElement>("/v1/models");
            if (list.GetProperty("data").EnumerateArray().Any(entry => entry.GetProperty("id").GetString() == model))
            {
                return;
            }

            Assert.True(watch.Elapsed < Patience, $"The gateway did not list {model} from its heartbeats within {Patience}.");
            await Task.Delay(100);
        }
    }

    private async Task SendAsync(string model, int i, CancellationToken abandon)
    {
        using var response = await cluster.Http.PostAsJsonAsync(
            "/v1/chat/completions",
            new { model, messages = new[] { new { role = "user", content = $"Queued question {i}." } }, max_tokens = 8, temperature = 0 },
            abandon);
    }

    /// <summary>The gateway's /metrics once <paramref name="expected"/> holds of it, or the last one read.</summary>
    private async Task<PrometheusScrape> ScrapeWhenAsync(Func<PrometheusScrape, bool> expected)
    {
        var metrics = new Uri(cluster.Http.BaseAddress!, "/metrics");
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var scrape = await PrometheusScrape.FetchAsync(cluster.Http, metrics);
            if (expected(scrape) || watch.Elapsed > Patience)
            {
                return scrape;
            }

            await Task.Delay(200);
        }
    }

    /// <summary>The model's depth on the gateway's /metrics once <paramref name="expected"/> holds, or the last one seen.</summary>
    private async Task<double?> DepthWhenAsync(string model, Func<double, bool> expected)
    {
        var metrics = new Uri(cluster.Http.BaseAddress!, "/metrics");
        var watch = Stopwatch.StartNew();
        double? depth = null;
        while (watch.Elapsed < Patience)
        {
            depth = Depth(await PrometheusScrape.FetchAsync(cluster.Http, metrics), model);
            if (depth is { } value && expected(value))
            {
                return depth;
            }

            await Task.Delay(200);
        }

        return depth;
    }

    private static double? Depth(PrometheusScrape scrape, string model) =>
        scrape.Samples.SingleOrDefault(sample => sample.Name == "inference_cluster_queue_depth"
            && sample.Labels.GetValueOrDefault("gen_ai_request_model") == model)?.Value;

    /// <summary>Declares <paramref name="queue"/> empty, as the first worker of its model would.</summary>
    private static async Task DeclareAsync(Uri broker, string queue)
    {
        await using var connection = await new ConnectionFactory { Uri = broker }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
    }

    private static async Task DeleteAsync(Uri broker, string queue)
    {
        await using var connection = await new ConnectionFactory { Uri = broker }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueueDeleteAsync(queue);
    }

    /// <summary>Takes every message of <paramref name="queue"/> as a worker would, straight from the broker.</summary>
    private static async Task<int> TakeAllAsync(Uri broker, string queue)
    {
        var factory = new ConnectionFactory { Uri = broker };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var taken = 0;
        while (await channel.BasicGetAsync(queue, autoAck: true) is not null)
        {
            taken++;
        }

        return taken;
    }
}
