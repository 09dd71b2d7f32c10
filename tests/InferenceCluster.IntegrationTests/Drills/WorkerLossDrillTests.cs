using System.Diagnostics;
using Xunit.Abstractions;

namespace InferenceCluster.IntegrationTests.Drills;

/// <summary>
/// A worker process killed with SIGKILL while it streams: the broker hands its unacknowledged requests to the
/// other worker, and every client still gets exactly the text a clean run gives, streamed or not.
/// </summary>
[Collection(DrillCollection.Name)]
public sealed class WorkerLossDrillTests(ITestOutputHelper output)
{
    private const int Requests = 16;
    private const int MaxTokens = 600;

    [Fact]
    public async Task WorkerKilledMidStream_GreedyAndSeededAnswers_EqualACleanRun()
    {
        await using var cluster = new DrillCluster();
        var starting = Task.WhenAll(cluster.StartWorkerAsync("worker-a"), cluster.StartWorkerAsync("worker-b"));
        var gateway = await cluster.StartGatewayAsync("gateway");
        var workers = await starting;
        var requests = DrillRequest.Deterministic("loss", Requests, MaxTokens);
        var clean = await DrillLoad.CleanRunAsync(cluster, gateway, requests);

        // Kill a worker once every stream has shown text, so the requests it holds die mid-answer.
        var clock = Stopwatch.StartNew();
        var load = DrillLoad.Start(gateway, requests);
        await load.AllStreamingAsync();
        workers[0].Kill();
        var killedAt = clock.Elapsed;
        var answers = await load.Answers;
        var total = clock.Elapsed;

        var resumed = gateway.Process.Count("resumed at token");
        DrillFigures.Print(
            output,
            $"worker SIGKILL mid-stream: {Requests} requests ({requests.Count(r => r.Stream)} streamed; greedy and seeded) of {MaxTokens} tokens; " +
            $"worker-a killed at {killedAt.TotalSeconds:0.00} s; {workers[1].Count("redelivered")} requests redelivered to worker-b, {resumed} streams resumed " +
            $"by token position; all answered in {total.TotalSeconds:0.00} s (clean run {clean.Max(answer => answer.Elapsed).TotalSeconds:0.00} s); " +
            $"answers equal to the clean run: {DrillLoad.Equal(clean, answers)}/{Requests}");
        DrillLoad.AssertEqual(cluster, clean, answers);
        Assert.True(resumed > 0, $"no stream was resumed: worker-a was killed after its streams ended, so the drill tested nothing\n{cluster.Output()}");
    }
}
