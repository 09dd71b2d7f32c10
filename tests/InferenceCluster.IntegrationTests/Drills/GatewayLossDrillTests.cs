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
        var starting = Task.WhenAll(cluster.StartWorkerAsync("worker-a"), cluster.StartWorkerAsync("worker-b"));
        var gateway = await cluster.StartGatewayAsync("gateway");
        var workers = await starting;

        // As long as the context allows, so that only the gateway's loss can end them early.
        var requests = DrillRequest.Deterministic("gateway-loss", 8, 1900);
        var load = DrillLoad.Start(gateway, requests);
        await load.AllStreamingAsync();
        var killedAt = DateTime.UtcNow;
        gateway.Process.Kill();
        await Task.WhenAll(load.Answers.WaitAsync(TimeSpan.FromSeconds(60)));

        // Every request was running on a worker; each is stopped for its lost gateway, or has ended, before long.
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

        // A worker cannot know the gateway is gone before Liveness has passed: on a fast machine a generation of 1900
        // tokens of the test model may end within that window, and that one ran to its end rightly. Every other one
        // must have been stopped, none may end after the window, and the drill must have stopped some. The window leaves
        // a loaded machine seconds beyond the liveness (a worker checks every 500 ms; a run measured 3.6 s).
        var window = Liveness + TimeSpan.FromSeconds(6);
        var lastFinish = workers.SelectMany(worker => new[] { worker.LastAt("finished (Stop"), worker.LastAt("finished (Length") })
            .Where(at => at is not null).Max();
        Assert.True(stopped + finished == requests.Count, $"{stopped} stopped and {finished} finished of {requests.Count}\n{cluster.Output()}");
        Assert.True(stopped > 0, $"no generation was stopped for the lost gateway; all {finished} ran to their end\n{cluster.Output()}");
        Assert.True(lastFinish is null || lastFinish - killedAt < window, $"a generation ran to its end {(lastFinish - killedAt)?.TotalSeconds:0.0} s after the gateway died, past its liveness\n{cluster.Output()}");
        Assert.True(stopAfter < window, $"the last generation stopped {stopAfter.TotalSeconds:0.0} s after the gateway died\n{cluster.Output()}");
    }
}
