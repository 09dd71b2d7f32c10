using System.Globalization;
using Xunit.Abstractions;

namespace InferenceCluster.IntegrationTests.Drills;

/// <summary>
/// The broker drops the worker's consumer on its model's queue without telling it, as after a broker restart in which
/// the worker's endpoint saw no fault: the worker goes on beating and takes nothing. It must find out by itself and
/// exit for its supervisor to start it again; the drill plays the supervisor, and the requests sent meanwhile, which
/// wait in the queue, must be answered.
/// </summary>
[Collection(DrillCollection.Name)]
public sealed class WorkerLostConsumerDrillTests(SharedPrivateServers shared, ITestOutputHelper output)
{
    private const int MaxTokens = 12;
    private const int Requests = 4;

    /// <summary>What the worker exits with when it finds itself deaf (EX_TEMPFAIL).</summary>
    private const int RestartExitCode = 75;

    private static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(1);

    /// <summary>Generous: with a check every second the worker notices within about two, then drains for its 1 s grace.</summary>
    private static readonly TimeSpan ExitPatience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task WorkerConsumerDroppedSilently_WorkerExitsForRestartAndWaitingRequestsAreAnswered()
    {
        var servers = await shared.GetAsync();
        await using var cluster = new DrillCluster(
            gatewaySettings: new Dictionary<string, string>
            {
                ["Gateway__RequestTimeout"] = TimeSpan.FromMinutes(2).ToString(),
            },
            workerSettings: new Dictionary<string, string>
            {
                ["Worker__ReceiveCheckInterval"] = CheckInterval.ToString(),
                ["Worker__DrainGrace"] = TimeSpan.FromSeconds(1).ToString(),
            },
            servers: servers);
        var starting = cluster.StartWorkerAsync("worker-a");
        var gateway = await cluster.StartGatewayAsync("gateway", clientTimeout: TimeSpan.FromSeconds(60));
        var worker = await starting;

        var before = await gateway.AskAsync(DrillRequest.Greedy($"Worker lost consumer drill {cluster.Run}: before.", stream: false, MaxTokens));
        Assert.True(before.Succeeded, $"before the drop: {before}\n{cluster.Output()}");

        // One model queue with its one consumer: no other live consumer on this broker is on a queue named generate-
        // (earlier drills ended their processes).
        var (dropped, answer) = await servers.DropConsumersSilentlyAsync("generate-");
        var droppedAt = DateTime.UtcNow;
        Assert.True(
            dropped == 1,
            $"the broker should have dropped the worker's one consumer; it answered: {answer}\n{await servers.ListConsumersAsync()}");

        // They wait in the queue: the worker still beats, so the gateway takes them, but the broker delivers to no one.
        var asks = Enumerable.Range(0, Requests)
            .Select(i => gateway.AskAsync(DrillRequest.Greedy($"Worker lost consumer drill {cluster.Run}: after {i}.", stream: i % 2 == 0, MaxTokens)))
            .ToList();

        var exited = await worker.WaitForExitAsync(ExitPatience);
        Assert.True(exited, $"worker-a still runs {ExitPatience.TotalSeconds:0} s after its consumer was dropped: it never noticed\n{cluster.Output()}");
        Assert.True(worker.ExitCode == RestartExitCode, $"worker-a exited with {worker.ExitCode}, not {RestartExitCode}\n{cluster.Output()}");
        var exitedAt = DateTime.UtcNow;
        var noticed = worker.FirstAt("Not receiving on");
        Assert.True(noticed is not null, $"worker-a exited without saying it was not receiving\n{cluster.Output()}");

        // The supervisor's part (a compose restart policy, Kubernetes): the same worker, started again.
        var restarted = await cluster.StartWorkerAsync("worker-a-restarted");
        var restartedAt = DateTime.UtcNow;
        var answers = await Task.WhenAll(asks);
        Assert.True(answers.All(answer => answer.Succeeded), $"after the restart: {string.Join("; ", answers.Select(a => a.ToString()))}\n{cluster.Output()}");

        var lastAnswer = answers.Max(answer => answer.EndedAt);
        DrillFigures.Print(output, string.Create(
            CultureInfo.InvariantCulture,
            $"worker lost consumer: worker's consumer dropped silently by the broker (check every {CheckInterval.TotalSeconds:0} s); " +
            $"noticed after {(noticed!.Value - droppedAt).TotalSeconds:0.0} s, exited (code {worker.ExitCode}) after " +
            $"{(exitedAt - droppedAt).TotalSeconds:0.0} s; restarted worker up {(restartedAt - exitedAt).TotalSeconds:0.0} s later; " +
            $"{Requests} requests sent after the drop answered, the last {(lastAnswer - droppedAt).TotalSeconds:0.0} s after the drop " +
            $"({restarted.Count(" finished (")} finished by the restarted worker)"));
    }
}
