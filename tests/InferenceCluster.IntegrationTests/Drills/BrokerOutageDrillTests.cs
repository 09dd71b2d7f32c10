using System.Globalization;
using InferenceCluster.IntegrationTests.Cluster;
using Xunit.Abstractions;

namespace InferenceCluster.IntegrationTests.Drills;

/// <summary>
/// RabbitMQ stopped for 6 s (<c>rabbitmqctl stop_app</c>, then <c>start_app</c>) under loops of short requests:
/// requests sent meanwhile are held and sent when the broker is back, requests under way complete, none fails.
/// </summary>
[Collection(DrillCollection.Name)]
public sealed class BrokerOutageDrillTests(ITestOutputHelper output)
{
    private const int Loops = 4;
    private const int MaxTokens = 12;
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(6);

    /// <summary>How long after the broker's return a heartbeat that never said it went through again still counts.</summary>
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(10);

    /// <summary>HeartbeatFailures' line when a publish goes through again after failing.</summary>
    private const string HeartbeatBack = "goes through to the broker at";

    [Fact]
    public async Task BrokerStoppedAndStarted_NoRequestFails()
    {
        await using var outage = await OutageCluster.StartAsync();
        var (servers, cluster, gateway) = (outage.Servers, outage.Cluster, outage.Gateway);
        var begin = DateTime.UtcNow;

        // Warm: the first requests of a fresh worker are slow, and would blur the figures.
        await Task.WhenAll(Enumerable.Range(0, Loops).Select(i =>
            gateway.AskAsync(DrillRequest.Greedy($"Broker drill {cluster.Run} warm-up {i}: count to three.", stream: false, MaxTokens))));

        // Each prompt is new, so every request reaches a worker through the broker rather than the cache.
        var load = new DrillLoops(gateway, Loops, (loop, n) =>
            DrillRequest.Greedy($"Broker drill {cluster.Run} loop {loop} request {n}: count to three.", stream: n % 2 == 1, MaxTokens));
        await Task.Delay(TimeSpan.FromSeconds(3));
        var stoppingAt = DateTime.UtcNow;
        await servers.StopBrokerAsync();
        var stoppedAt = DateTime.UtcNow;
        await Task.Delay(Outage);
        var startingAt = DateTime.UtcNow;
        await servers.StartBrokerAsync();
        var brokerBackAt = DateTime.UtcNow;

        // Until every loop has finished requests sent after the broker came back.
        var until = DateTime.UtcNow + TimeSpan.FromMinutes(5);
        while (DateTime.UtcNow < until && load.Between(brokerBackAt, DateTime.MaxValue).Count < 2 * Loops)
        {
            await Task.Delay(200);
        }

        await load.StopAsync();
        await cluster.WaitUntilServedAsync(gateway);

        // Heard again, not merely excused: once the gateway's heartbeat endpoint is back and the liveness window plus
        // the reconnect grace has passed, only heartbeats received since keep the model listed.
        const string Hearing = "Worker heartbeats can arrive again";
        // Counted from the outage (a broker slow at the gateway's start logs the line too), and from the last return: one
        // that went deaf again meanwhile excused the workers anew.
        await gateway.Process.WaitForLineSinceAsync(Hearing, stoppingAt, TimeSpan.FromSeconds(90));
        var judgedAt = gateway.Process.LastAt(Hearing)!.Value + OutageCluster.WorkerLiveness + OutageCluster.WorkerReconnectGrace + TimeSpan.FromSeconds(1);
        if (judgedAt > DateTime.UtcNow)
        {
            await Task.Delay(judgedAt - DateTime.UtcNow);
        }

        // From here on only a heartbeat heard since lists the model, so waiting longer proves no less; it spares a worker
        // that a loaded machine held past its liveness for a moment, which a heartbeat a second later lists again. 35 s,
        // 20 s more than with the default grace, so a slow worker has as long as before from the return to be heard.
        Assert.True(
            await ServedModels.WaitForAsync(gateway.Http, cluster.Model, TimeSpan.FromSeconds(35)),
            $"the gateway no longer lists {cluster.Model}: it has not heard the workers since the broker came back\n{cluster.Output()}");

        var all = load.All;
        var before = load.Between(DateTime.MinValue, stoppingAt);
        var during = all.Where(answer => answer.StartedAt < startingAt && answer.EndedAt > stoppedAt).ToList();
        var after = load.Between(brokerBackAt, DateTime.MaxValue);
        var firstServedAfter = after.Count == 0 ? double.NaN : (after.Min(answer => answer.EndedAt) - brokerBackAt).TotalSeconds;
        DrillFigures.Print(output, string.Create(
            CultureInfo.InvariantCulture,
            $"broker drill: stop_app ran {(stoppingAt - begin).TotalSeconds:0.0}-{(stoppedAt - begin).TotalSeconds:0.0} s, " +
            $"start_app ran {(startingAt - begin).TotalSeconds:0.0}-{(brokerBackAt - begin).TotalSeconds:0.0} s " +
            $"(broker down at least {(startingAt - stoppedAt).TotalSeconds:0.0} s, at most {(brokerBackAt - stoppingAt).TotalSeconds:0.0} s)"));
        DrillFigures.Print(output, DrillFigures.Describe("broker drill, before", before));
        DrillFigures.Print(output, DrillFigures.Describe("broker drill, waiting while the broker was stopped", during));
        DrillFigures.Print(output, DrillFigures.Describe("broker drill, sent after", after));
        DrillFigures.Print(output, string.Create(
            CultureInfo.InvariantCulture,
            $"broker drill: {all.Count} requests, {all.Count(answer => !answer.Succeeded)} failed; first answer to a request sent after the restart {firstServedAfter:0.0} s after it"));

        // What an operator reads: each heartbeat says once that it fails and once that it works again, not every beat (it
        // logged a warning with a stack trace per beat: 19 in a run of this drill). A kind of error the outage had not had
        // yet is a warning too, so two are allowed. Counted per process up to its first "goes through ... again" after the
        // stop (or the broker's return plus a settle, if it logged none), as the Redis drill counts up to its restart: a
        // loaded machine times a beat out now and then later on, which begins a new run and is news again.
        var heartbeatWarnings = outage.Workers.Select(worker => (worker.Name, Count: WarningsUntilBack(worker, "warn: InferenceCluster.Worker.Heartbeats.HeartbeatService", stoppingAt, brokerBackAt)))
            .Append((gateway.Process.Name, Count: WarningsUntilBack(gateway.Process, "warn: InferenceCluster.Gateway.Liveness.GatewayHeartbeatService", stoppingAt, brokerBackAt)))
            .ToList();
        DrillFigures.Print(output, "broker drill: heartbeat warnings from the stop until each beat went through again: " + string.Join(", ", heartbeatWarnings.Select(process => $"{process.Name} {process.Count}")) +
            "; MassTransit's own: " + string.Join(", ", outage.Workers.Append(gateway.Process).Select(process => $"{process.Name} {process.CountSince("warn: MassTransit", stoppingAt)}")));
        Assert.All(heartbeatWarnings, process => Assert.True(process.Count <= 2, $"{process.Name} logged {process.Count} heartbeat warnings during the outage\n{cluster.Output()}"));
        Assert.All(outage.Workers, worker => Assert.False(worker.HasExited, $"{worker.Name} exited during the outage\n{cluster.Output()}"));
        Assert.All(all, answer => Assert.True(answer.Succeeded, $"request started at {(answer.StartedAt - begin).TotalSeconds:0.0} s: {answer}"));
        Assert.NotEmpty(during);
        Assert.NotEmpty(after);
    }

    /// <summary>
    /// The heartbeat warnings of <paramref name="process"/> from the broker's stop until its first heartbeat line saying it
    /// goes through again, or until the broker's return plus <see cref="Settle"/> when it logged none.
    /// </summary>
    private static int WarningsUntilBack(ServiceProcess process, string warning, DateTime stoppingAt, DateTime brokerBackAt)
    {
        var until = process.FirstSince(HeartbeatBack, stoppingAt) ?? brokerBackAt + Settle;
        return process.CountSince(warning, stoppingAt) - process.CountSince(warning, until);
    }
}
