using System.Globalization;
using Xunit.Abstractions;

namespace InferenceCluster.IntegrationTests.Drills;

/// <summary>
/// A worker frozen with SIGSTOP while it streams: the process lives and its TCP connection stays open, but nothing
/// answers. The broker hands its unacknowledged requests to the other worker only once it has declared that connection
/// dead from missed AMQP heartbeats, so how long the clients wait is the heartbeat the worker's bus negotiated.
/// </summary>
[Collection(DrillCollection.Name)]
public sealed class WorkerFrozenDrillTests(ITestOutputHelper output)
{
    private const int Requests = 4;

    /// <summary>As long as the context allows, so that the freeze meets every request mid-way.</summary>
    private const int MaxTokens = 1900;

    /// <summary>
    /// A sanity bound, not a measurement: with the default broker heartbeat (10 s) the broker drops a frozen worker's
    /// connection 20 to 30 s after it stops (with <see cref="FrozenWorkerHeartbeat"/> about half that), while with the 60 s the client library asked for before, the last answer
    /// came 164 s after the freeze. The drill waits this long for the answers, so a regression fails here, not at the
    /// suite's timeout.
    /// </summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(75);

    /// <summary>
    /// The frozen worker's <c>Worker:BrokerHeartbeat</c>: the shortest the setting takes (RabbitMQ advises no less), so
    /// the broker drops it after about 10 s rather than 20 to 30. It is the same fault path, only sooner; the worker
    /// that stays healthy keeps the default, and the docs measured 5 s without a missed heartbeat at a load of 19 to 27.
    /// </summary>
    private static readonly TimeSpan FrozenWorkerHeartbeat = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task WorkerFrozenMidStream_ItsRequestsMoveToTheOtherWorker_AnswersEqualACleanRun()
    {
        await using var cluster = new DrillCluster();
        var starting = Task.WhenAll(
            cluster.StartWorkerAsync("worker-a", new Dictionary<string, string> { ["Worker__BrokerHeartbeat"] = FrozenWorkerHeartbeat.ToString() }),
            cluster.StartWorkerAsync("worker-b"));
        var gateway = await cluster.StartGatewayAsync("gateway");
        var workers = await starting;
        var requests = DrillRequest.Deterministic("frozen", Requests, MaxTokens);
        var clean = await DrillLoad.CleanRunAsync(cluster, gateway, requests);

        // Both workers take requests, so the broker hands some of the load to worker-a.
        var consumers = await cluster.WaitForModelConsumersAsync(2, TimeSpan.FromSeconds(30));
        Assert.True(consumers == 2, $"the model queue had {consumers} consumers, not one per worker\n{cluster.Output()}");

        var load = DrillLoad.Start(gateway, requests);
        await load.AllStreamingAsync();
        var frozenAt = DateTime.UtcNow;
        workers[0].Freeze();
        try
        {
            var answered = await Task.WhenAny(load.Answers, Task.Delay(Patience)) == load.Answers;
            Assert.True(
                answered,
                $"not every request was answered within {Patience.TotalSeconds:0} s of the freeze; redelivered to worker-b so far: " +
                $"{workers[1].CountSince("redelivered", frozenAt)}\n{cluster.Output()}");
            var answers = await load.Answers;
            var movedAt = workers[1].FirstSince("redelivered", frozenAt);
            var moved = workers[1].CountSince("redelivered", frozenAt);
            DrillFigures.Print(output, string.Create(
                CultureInfo.InvariantCulture,
                $"worker SIGSTOP mid-stream (its broker heartbeat {FrozenWorkerHeartbeat.TotalSeconds:0} s): {Requests} requests ({requests.Count(r => r.Stream)} streamed; greedy and seeded) of {MaxTokens} tokens; " +
                $"worker-a frozen once every stream had text; {moved} requests redelivered to worker-b, the first " +
                $"{((movedAt ?? DateTime.UtcNow) - frozenAt).TotalSeconds:0.0} s after the freeze; {gateway.Process.Count("resumed at token")} streams " +
                $"resumed; the last answer {(answers.Max(answer => answer.EndedAt) - frozenAt).TotalSeconds:0.0} s after the freeze; " +
                $"answers equal to the clean run: {DrillLoad.Equal(clean, answers)}/{Requests}"));
            DrillLoad.AssertEqual(cluster, clean, answers);
            Assert.True(moved > 0, $"worker-a held none of the requests when it froze, so the drill tested nothing\n{cluster.Output()}");
        }
        finally
        {
            // Let it run again, so that it ends as the cluster's other processes do.
            workers[0].Thaw();
        }
    }
}
