using System.Globalization;
using Xunit.Abstractions;

namespace InferenceCluster.IntegrationTests.Drills;

/// <summary>
/// The broker drops the worker's gateway-heartbeat consumer (on a temporary queue of the worker's own) without telling
/// it: the worker would hear no gateway any more and stop every request that runs longer than its gateway liveness. No
/// queue depth tells, since nobody else reads that queue; the worker must find out by the probes it sends there, and
/// exit for its supervisor to start it again. The drill plays the supervisor; the requests sent meanwhile must be answered.
/// </summary>
[Collection(DrillCollection.Name)]
public sealed class WorkerLostHeartbeatConsumerDrillTests(SharedPrivateServers shared, ITestOutputHelper output)
{
    private const int MaxTokens = 12;
    private const int Requests = 4;

    /// <summary>What the worker exits with when it finds itself deaf (EX_TEMPFAIL).</summary>
    private const int RestartExitCode = 75;

    private static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The worker's default: a healthy worker's probe comes back in milliseconds, but a machine loaded enough to hold
    /// the worker or the broker for a second made a 1 s timeout find a healthy worker deaf, and a worker exits on the
    /// first lost probe. A dropped consumer never delivers the probe, so waiting longer finds it no less surely.
    /// </summary>
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Generous: with a probe every second the worker notices within an interval and a timeout, then drains for its 1 s grace.</summary>
    private static readonly TimeSpan ExitPatience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task HeartbeatConsumerDroppedSilently_WorkerExitsForRestartAndRequestsAreAnswered()
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
                ["Worker__ReceiveProbeTimeout"] = ProbeTimeout.ToString(),
                ["Worker__DrainGrace"] = TimeSpan.FromSeconds(1).ToString(),
            },
            servers: servers);
        var starting = cluster.StartWorkerAsync("worker-a");
        var gateway = await cluster.StartGatewayAsync("gateway", clientTimeout: TimeSpan.FromSeconds(60));
        var worker = await starting;

        var before = await gateway.AskAsync(DrillRequest.Greedy($"Worker lost heartbeat consumer drill {cluster.Run}: before.", stream: false, MaxTokens));
        Assert.True(before.Succeeded, $"before the drop: {before}\n{cluster.Output()}");

        // A few rounds of probes on a healthy worker (its cancel queue takes nothing but probes), each judged: no false alarm.
        await Task.Delay((3 * CheckInterval) + ProbeTimeout);
        Assert.True(worker.FirstAt("Not receiving on") is null, $"worker-a found itself deaf before anything was dropped\n{cluster.Output()}");

        // One heartbeat queue with its one consumer: the gateway's own is named gateway-heartbeats.
        var (dropped, answer) = await servers.DropConsumersSilentlyAsync("GatewayHeartbeat");
        var droppedAt = DateTime.UtcNow;
        Assert.True(
            dropped == 1,
            $"the broker should have dropped the worker's heartbeat consumer; it answered: {answer}\n{await servers.ListConsumersAsync()}");

        // worker-a stops heartbeating once it finds itself deaf, so the gateway may count the model unserved until it
        // hears the restarted worker, and answer the retryable 503 model_unavailable meanwhile (docs/reliability.md): on
        // a loaded machine these requests can reach the gateway only after that. An OpenAI SDK retries such a 503; so
        // does this client, and the figures say how often it had to.
        var asks = Enumerable.Range(0, Requests)
            .Select(i => AskRetryingUnavailableAsync(gateway, DrillRequest.Greedy($"Worker lost heartbeat consumer drill {cluster.Run}: after {i}.", stream: i % 2 == 0, MaxTokens)))
            .ToList();

        var exited = await worker.WaitForExitAsync(ExitPatience);
        Assert.True(exited, $"worker-a still runs {ExitPatience.TotalSeconds:0} s after its heartbeat consumer was dropped: it never noticed\n{cluster.Output()}");
        Assert.True(worker.ExitCode == RestartExitCode, $"worker-a exited with {worker.ExitCode}, not {RestartExitCode}\n{cluster.Output()}");
        var exitedAt = DateTime.UtcNow;
        var noticed = worker.FirstAt("Not receiving on GatewayHeartbeat");
        Assert.True(noticed is not null, $"worker-a exited without saying it was not receiving on its heartbeat queue\n{cluster.Output()}");

        // The supervisor's part: the same worker, started again.
        var restarted = await cluster.StartWorkerAsync("worker-a-restarted");
        var restartedAt = DateTime.UtcNow;
        var sentMeanwhile = await Task.WhenAll(asks);
        var answers = sentMeanwhile.Select(sent => sent.Answer).ToList();
        Assert.True(answers.All(answer => answer.Succeeded), $"after the restart: {string.Join("; ", answers.Select(a => a.ToString()))}\n{cluster.Output()}");

        var (after, unavailable) = await AskRetryingUnavailableAsync(
            gateway, DrillRequest.Greedy($"Worker lost heartbeat consumer drill {cluster.Run}: restarted.", stream: true, MaxTokens));
        Assert.True(after.Succeeded, $"after the restart: {after}\n{cluster.Output()}");

        var lastAnswer = answers.Max(answer => answer.EndedAt);
        DrillFigures.Print(output, string.Create(
            CultureInfo.InvariantCulture,
            $"worker lost heartbeat consumer: worker's gateway-heartbeat consumer dropped silently by the broker (probe every " +
            $"{CheckInterval.TotalSeconds:0} s, timeout {ProbeTimeout.TotalSeconds:0} s); noticed after {(noticed!.Value - droppedAt).TotalSeconds:0.0} s, " +
            $"exited (code {worker.ExitCode}) after {(exitedAt - droppedAt).TotalSeconds:0.0} s; restarted worker up " +
            $"{(restartedAt - exitedAt).TotalSeconds:0.0} s later; {Requests} requests sent after the drop answered, the last " +
            $"{(lastAnswer - droppedAt).TotalSeconds:0.0} s after the drop ({restarted.Count(" finished (")} finished by the restarted worker) after " +
            $"{sentMeanwhile.Sum(sent => sent.Retried)} retried 503s in all; the request sent after the restart answered after {unavailable} retried 503s"));
    }

    /// <summary>Asks, and asks again each second while the answer is 503 model_unavailable, for at most a minute.</summary>
    private static async Task<(DrillAnswer Answer, int Retried)> AskRetryingUnavailableAsync(DrillGateway gateway, DrillRequest request)
    {
        var retried = 0;
        var answer = await gateway.AskAsync(request);
        for (var retryUntil = DateTime.UtcNow + TimeSpan.FromMinutes(1); IsModelUnavailable(answer) && DateTime.UtcNow < retryUntil; retried++)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            answer = await gateway.AskAsync(request);
        }

        return (answer, retried);
    }

    private static bool IsModelUnavailable(DrillAnswer answer) =>
        answer.Status == 503 && answer.Error?.Contains("\"model_unavailable\"", StringComparison.Ordinal) == true;
}
