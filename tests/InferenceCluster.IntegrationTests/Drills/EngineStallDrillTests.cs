using System.Globalization;
using Xunit.Abstractions;

namespace InferenceCluster.IntegrationTests.Drills;

/// <summary>
/// A worker whose engine hangs while its process lives: its connection stays open and its heartbeats go on, so neither
/// the broker nor the gateways see anything wrong, and before the engine watchdog its clients waited for their
/// deadline. The hang is the simulated accelerator of worker-a slowed a million times (an existing setting, no fault
/// switch): its first step would take 42 minutes, so its engine completes nothing, as one whose call into the runtime
/// never returns. Its watchdog must find that, exit with 75, and the broker hand its requests to worker-b.
/// </summary>
[Collection(DrillCollection.Name)]
public sealed class EngineStallDrillTests(ITestOutputHelper output)
{
    private const int Requests = 8;
    private const int MaxTokens = 300;

    /// <summary>The drill's <c>Worker:EngineStallTimeout</c>, the shortest the setting takes.</summary>
    private const int StallSeconds = 10;

    /// <summary>A sanity bound, not a measurement: the timeout plus starting, looking and redelivering, on a loaded machine.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private static readonly Dictionary<string, string> Simulated = new() { ["Inference__ExecutionProvider"] = "simulated" };

    [Fact]
    public async Task EngineHangs_WorkerExits75AndItsRequestsAreAnsweredByTheOtherWorker_EqualACleanRun()
    {
        await using var cluster = new DrillCluster(workerSettings: Simulated);
        var starting = cluster.StartWorkerAsync("worker-b");
        var gateway = await cluster.StartGatewayAsync("gateway");
        var healthy = await starting;
        var requests = DrillRequest.Deterministic("stall", Requests, MaxTokens);
        var clean = await DrillLoad.CleanRunAsync(cluster, gateway, requests);

        var hung = await cluster.StartWorkerAsync("worker-a", new Dictionary<string, string>
        {
            ["Inference__Simulation__Slowdown"] = "1000000",
            ["Worker__EngineStallTimeout"] = $"00:00:{StallSeconds}",
        });
        var consumers = await cluster.WaitForModelConsumersAsync(2, TimeSpan.FromSeconds(30));
        Assert.True(consumers == 2, $"the model queue had {consumers} consumers, not one per worker\n{cluster.Output()}");

        var sentAt = DateTime.UtcNow;
        var load = DrillLoad.Start(gateway, requests);
        var exited = await hung.WaitForExitAsync(Patience);
        Assert.True(exited, $"worker-a still runs {Patience.TotalSeconds:0} s after the requests were sent: it never found its engine hung\n{cluster.Output()}");
        var exitedAt = DateTime.UtcNow;
        Assert.True(hung.ExitCode == 75, $"worker-a exited with {hung.ExitCode}, not 75\n{cluster.Output()}");
        var stalledAt = hung.FirstAt("Engine stalled");
        Assert.True(stalledAt is not null, $"worker-a did not log 'Engine stalled'\n{cluster.Output()}");
        Assert.Contains("Worker:EngineStallTimeout", hung.Output(), StringComparison.Ordinal);

        var answered = await Task.WhenAny(load.Answers, Task.Delay(Patience)) == load.Answers;
        Assert.True(answered, $"not every request was answered within {Patience.TotalSeconds:0} s of worker-a's exit\n{cluster.Output()}");
        var answers = await load.Answers;
        var moved = healthy.CountSince("redelivered", sentAt);
        DrillFigures.Print(output, string.Create(
            CultureInfo.InvariantCulture,
            $"engine hang: {Requests} requests ({requests.Count(r => r.Stream)} streamed; greedy and seeded) of {MaxTokens} tokens; worker-a's engine " +
            $"never completed a step (Worker:EngineStallTimeout {StallSeconds} s); it logged the stall {(stalledAt!.Value - sentAt).TotalSeconds:0.0} s " +
            $"after the requests were sent and exited (code {hung.ExitCode}) after {(exitedAt - sentAt).TotalSeconds:0.0} s; {moved} requests " +
            $"redelivered to worker-b; the last answer {(answers.Max(answer => answer.EndedAt) - sentAt).TotalSeconds:0.0} s after sending; " +
            $"answers equal to the clean run: {DrillLoad.Equal(clean, answers)}/{Requests}"));
        DrillLoad.AssertEqual(cluster, clean, answers);
        Assert.True(moved > 0, $"worker-a held none of the requests, so the drill tested nothing\n{cluster.Output()}");
    }
}
