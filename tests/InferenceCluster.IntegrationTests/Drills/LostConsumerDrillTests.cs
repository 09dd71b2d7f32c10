using System.Globalization;
using InferenceCluster.IntegrationTests.Cluster;
using Xunit.Abstractions;

namespace InferenceCluster.IntegrationTests.Drills;

/// <summary>
/// The broker drops the gateway's consumers without telling it, as after a broker restart in which the gateway's
/// endpoints saw no fault: the broker no longer delivers to them, while inside the gateway they look ready. The
/// gateway must find out by itself and receive again: answer requests (their replies wait in its reply queue) and
/// hear the workers (otherwise it stops listing the model once their liveness runs out).
/// </summary>
[Collection(DrillCollection.Name)]
public sealed class LostConsumerDrillTests(SharedPrivateServers shared, ITestOutputHelper output)
{
    private const int MaxTokens = 12;
    private static readonly TimeSpan ProbeInterval = TimeSpan.FromSeconds(1);

    // The default: with 1 s, a machine loaded enough to hold a healthy gateway's probe for a second found it deaf, and a
    // false alarm before the drop is not what this drill is about.
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);

    // Longer than the gateway takes to find its heartbeat endpoint deaf (an interval plus two timeouts, see below),
    // after which the silence is excused: with 3 s, a loaded machine on which rabbitmqctl took seconds to drop the consumers sent the
    // request after the drop once the worker's liveness had run out and before the deafness was found, and the gateway
    // rightly answered 503 model_unavailable, which is not what this drill is about.
    private static readonly TimeSpan WorkerLiveness = ProbeInterval + (2 * ProbeTimeout) + TimeSpan.FromSeconds(2);

    [Fact]
    public async Task GatewayConsumersDroppedSilently_GatewayNoticesAndReceivesAgain()
    {
        var servers = await shared.GetAsync();
        await using var cluster = new DrillCluster(
            gatewaySettings: new Dictionary<string, string>
            {
                ["Gateway__ReceiveProbeInterval"] = ProbeInterval.ToString(),
                ["Gateway__ReceiveProbeTimeout"] = ProbeTimeout.ToString(),
                ["Gateway__WorkerLiveness"] = WorkerLiveness.ToString(),
                ["Gateway__WorkerReconnectGrace"] = TimeSpan.Zero.ToString(),
                ["Gateway__RequestTimeout"] = TimeSpan.FromMinutes(2).ToString(),
            },
            servers: servers);
        var starting = cluster.StartWorkerAsync("worker-a");

        // Noticing takes up to an interval plus two timeouts; the client waits well beyond that.
        var gateway = await cluster.StartGatewayAsync("gateway", clientTimeout: TimeSpan.FromSeconds(90));
        await starting;

        var before = await gateway.AskAsync(DrillRequest.Greedy($"Lost consumer drill {cluster.Run}: before.", stream: false, MaxTokens));
        Assert.True(before.Succeeded, $"before the drop: {before}\n{cluster.Output()}");

        // Two queues, each with its one consumer: no other live consumer on this broker is on a queue named gateway-
        // (earlier drills ended their processes). The drop happens while rabbitmqctl runs, which on a loaded machine
        // takes seconds: everything after it is counted from its start.
        var droppedAt = DateTime.UtcNow;
        var (dropped, answer) = await servers.DropConsumersSilentlyAsync("gateway-");
        Assert.True(
            dropped == 2,
            $"the broker should have dropped the gateway's two consumers; it answered: {answer}\n{await servers.ListConsumersAsync()}");

        // Its reply arrives in the reply queue; only a gateway that consumes there again can answer.
        var after = await gateway.AskAsync(DrillRequest.Greedy($"Lost consumer drill {cluster.Run}: after.", stream: true, MaxTokens));
        Assert.True(after.Succeeded, $"after the drop: {after}\n{cluster.Output()}");

        // Heard again, not merely excused: once the heartbeat endpoint receives again and the liveness window has
        // passed (no reconnect grace here), only heartbeats received since keep the model listed.
        const string Hearing = "Worker heartbeats can arrive again";
        var heardAgainAt = await gateway.Process.WaitForLineSinceAsync(Hearing, droppedAt, TimeSpan.FromSeconds(60));
        var judgedAt = heardAgainAt + WorkerLiveness + TimeSpan.FromSeconds(1);
        if (judgedAt > DateTime.UtcNow)
        {
            await Task.Delay(judgedAt - DateTime.UtcNow);
        }

        // From here on only a heartbeat heard since lists the model, so waiting longer proves no less; it spares a worker
        // that a loaded machine held past its liveness for a moment, which a heartbeat a second later lists again.
        Assert.True(
            await ServedModels.WaitForAsync(gateway.Http, cluster.Model, TimeSpan.FromSeconds(15)),
            $"the gateway no longer lists {cluster.Model}: it has not heard the worker since its consumers were dropped\n{cluster.Output()}");

        // Counted from the drop: a false alarm before it would not be this drill's doing.
        var noticed = gateway.Process.FirstSince("Not receiving on", droppedAt);
        Assert.True(noticed is not null, $"the gateway never said it was not receiving\n{cluster.Output()}");
        DrillFigures.Print(output, string.Create(
            CultureInfo.InvariantCulture,
            $"lost consumers: gateway's consumers dropped silently by the broker (probe every {ProbeInterval.TotalSeconds:0} s, " +
            $"timeout {ProbeTimeout.TotalSeconds:0} s); noticed after {(noticed!.Value - droppedAt).TotalSeconds:0.0} s, " +
            $"a request sent then answered after {after.Elapsed.TotalSeconds:0.0} s, heartbeats heard again " +
            $"{(heardAgainAt - droppedAt).TotalSeconds:0.0} s after the drop"));
    }
}
