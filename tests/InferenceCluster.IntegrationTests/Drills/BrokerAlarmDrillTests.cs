using System.Globalization;
using Xunit.Abstractions;

namespace InferenceCluster.IntegrationTests.Drills;

/// <summary>
/// A RabbitMQ memory alarm while requests run: the broker blocks every publishing connection, so the gateway's
/// heartbeats stop reaching the workers while it lives and waits for its answers. The workers must not take that
/// silence for the gateway's death (they stopped its requests and acknowledged them without an answer, and every
/// client waited to its deadline); once the alarm clears, every request must be answered.
/// </summary>
[Collection(DrillCollection.Name)]
public sealed class BrokerAlarmDrillTests(ITestOutputHelper output)
{
    // Forty-odd seconds of work one at a time, so that the alarm meets requests running however long rabbitmqctl takes to set it.
    private const int Requests = 16;
    private const int Tokens = 1900;

    /// <summary>Short, so the alarm needs to last only a little longer; a request held past it was dropped before.</summary>
    private static readonly TimeSpan GatewayLiveness = TimeSpan.FromSeconds(2);

    /// <summary>Bounds a request dropped silently: it fails with 504 then rather than after 10 minutes.</summary>
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(150);

    [Fact]
    public async Task MemoryAlarmWhileRequestsRun_WorkersKeepTheGatewaysRequestsAndAllAreAnswered()
    {
        await using var servers = await PrivateServers.StartAsync();
        await using var cluster = new DrillCluster(
            gatewaySettings: new Dictionary<string, string> { ["Gateway__RequestTimeout"] = RequestTimeout.ToString() },
            workerSettings: new Dictionary<string, string>
            {
                ["Worker__GatewayLiveness"] = GatewayLiveness.ToString(),

                // One at a time: the test model writes 1900 tokens in seconds, and the alarm must meet requests running.
                ["Inference__MaxConcurrency"] = "1",
            },
            servers: servers);
        var starting = cluster.StartWorkerAsync("worker-a");
        var gateway = await cluster.StartGatewayAsync("gateway", clientTimeout: RequestTimeout + TimeSpan.FromSeconds(30));
        var worker = await starting;

        var firstText = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var asks = DrillRequest.Deterministic($"broker-alarm-{cluster.Run}", Requests, Tokens)
            .Select(request => gateway.AskAsync(request, _ => firstText.TrySetResult()))
            .ToList();
        await firstText.Task.WaitAsync(TimeSpan.FromSeconds(60));
        await servers.SetMemoryWatermarkAsync("0.0000001");
        var alarmAt = DateTime.UtcNow;

        // Held until the worker has judged the gateway's silence one way or the other: it kept or it dropped the requests.
        const string Excused = "own publishes do not go through either";
        const string Dropped = "has sent no heartbeat";
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (worker.FirstSince(Excused, alarmAt) is null && worker.FirstSince(Dropped, alarmAt) is null && DateTime.UtcNow < until)
        {
            await Task.Delay(100);
        }

        // The fault's length, not a wait for a result: long enough for the next request to start and be judged too,
        // short of the 10 s a worker gives one reply to be sent.
        await Task.Delay(TimeSpan.FromSeconds(2));
        await servers.SetMemoryWatermarkAsync("0.4");
        var clearedAt = DateTime.UtcNow;
        var answers = await Task.WhenAll(asks);

        var dropped = worker.Count(Dropped);
        var lastAnswer = answers.Max(answer => answer.EndedAt);
        DrillFigures.Print(output, string.Create(
            CultureInfo.InvariantCulture,
            $"broker memory alarm: {Requests} requests of {Tokens} tokens running (half streamed); alarm raised for " +
            $"{(clearedAt - alarmAt).TotalSeconds:0.0} s (worker gateway liveness {GatewayLiveness.TotalSeconds:0} s); " +
            $"{answers.Count(answer => answer.Succeeded)}/{Requests} answered, the last {(lastAnswer - alarmAt).TotalSeconds:0.0} s after the alarm was raised; " +
            $"{dropped} stopped by the worker as orphaned"));
        Assert.True(lastAnswer > alarmAt, $"every request ended before the alarm: the drill's premise failed\n{cluster.Output()}");
        Assert.True(dropped == 0, $"the worker stopped {dropped} requests of a live gateway during the alarm\n{cluster.Output()}");
        Assert.All(answers, answer => Assert.True(answer.Succeeded, $"{answer}\n{cluster.Output()}"));
        Assert.True(worker.FirstSince(Excused, alarmAt) is not null, $"the worker never found its own publishes held\n{cluster.Output()}");
    }
}
