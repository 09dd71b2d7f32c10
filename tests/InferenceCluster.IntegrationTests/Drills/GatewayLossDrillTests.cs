using Xunit.Abstractions;

namespace InferenceCluster.IntegrationTests.Drills;

/// <summary>
/// A gateway killed with SIGKILL while its requests run: it stops beating, and within a few seconds the workers
/// stop its generations instead of producing answers nobody will read.
/// </summary>
[Collection(DrillCollection.Name)]
public sealed class GatewayLossDrillTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Liveness = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task GatewayKilled_WorkersStopItsGenerationsWithinSeconds()
    {
        await using var cluster = new DrillCluster(workerSettings: new Dictionary<string, string> { ["Worker__GatewayLiveness"] = Liveness.ToString() });
        var workers = await Task.WhenAll(cluster.StartWorkerAsync("worker-a"), cluster.StartWorkerAsync("worker-b"));
        var gateway = await cluster.StartGatewayAsync("gateway");

        // As long as the context allows, so that only the gateway's loss can end them early.
        var requests = DrillRequest.Deterministic("gateway-loss", 8, 1900);
        var load = DrillLoad.Start(gateway, requests);
        await load.AllStreamingAsync();
        var killedAt = DateTime.UtcNow;
        gateway.Process.Kill();
        await Task.WhenAll(load.Answers.WaitAsync(TimeSpan.FromSeconds(60)));

        // Every request was running on a worker; each must be stopped for its lost gateway rather than finish.
        const string Stopped = "has sent no heartbeat";
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (workers.Sum(worker => worker.Count(Stopped) + worker.Count("finished (Stop") + worker.Count("finished (Length")) < requests.Count
            && DateTime.UtcNow < until)
        {
            await Task.Delay(100);
        }

        var stopped = workers.Sum(worker => worker.Count(Stopped));
        var finished = workers.Sum(worker => worker.Count("finished (Stop") + worker.Count("finished (Length"));
        var lastStop = workers.Select(worker => worker.LastAt(Stopped)).Where(at => at is not null).Max();
        var stopAfter = (lastStop ?? DateTime.UtcNow) - killedAt;
        DrillFigures.Print(
            output,
            $"gateway SIGKILL: {requests.Count} requests of 1900 tokens running; worker gateway liveness {Liveness.TotalSeconds:0} s; " +
            $"{stopped} generations stopped by the workers, the last {stopAfter.TotalSeconds:0.00} s after the kill; {finished} ran to their end");

        Assert.Equal(requests.Count, stopped);
        Assert.Equal(0, finished);
        Assert.True(stopAfter < Liveness + TimeSpan.FromSeconds(3), $"the last generation stopped {stopAfter.TotalSeconds:0.0} s after the gateway died\n{cluster.Output()}");
    }
}
