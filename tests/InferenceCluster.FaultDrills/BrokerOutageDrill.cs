using InferenceCluster.FaultDrills.Cluster;

namespace InferenceCluster.FaultDrills;

/// <summary>
/// RabbitMQ stopped for 6 s (<c>rabbitmqctl stop_app</c>, then <c>start_app</c>) under loops of short requests:
/// requests sent meanwhile are held and sent when the broker is back, requests under way complete, none fails.
/// </summary>
[Collection(DrillCollection.Name)]
public sealed class BrokerOutageDrill(DrillCluster cluster, ITestOutputHelper output)
{
    private const int Loops = 4;
    private const int MaxTokens = 12;
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(6);

    [Fact]
    public async Task BrokerStoppedAndStarted_NoRequestFails()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();

        // Warm: the first requests of a fresh worker are slow, and would blur the figures.
        await Task.WhenAll(Enumerable.Range(0, Loops).Select(i =>
            Completions.SendAsync(cluster.Http, $"Broker drill {cluster.Run} warm-up {i}: count to three.", stream: false, MaxTokens, clock)));

        // Each prompt is new, so every request reaches a worker through the broker rather than the cache.
        var load = new LoadLoops(Loops, (loop, n) =>
            Completions.SendAsync(cluster.Http, $"Broker drill {cluster.Run} loop {loop} request {n}: count to three.", stream: n % 2 == 1, MaxTokens, clock));
        await Task.Delay(TimeSpan.FromSeconds(3));
        var stoppingAt = clock.Elapsed;
        await cluster.Servers.StopBrokerAsync();
        var stoppedAt = clock.Elapsed;
        await Task.Delay(Outage);
        var startingAt = clock.Elapsed;
        await cluster.Servers.StartBrokerAsync();
        var brokerBackAt = clock.Elapsed;

        // Until every loop has finished requests sent after the broker came back.
        var until = clock.Elapsed + TimeSpan.FromMinutes(5);
        while (clock.Elapsed < until && load.Between(brokerBackAt, TimeSpan.MaxValue).Count < 2 * Loops)
        {
            await Task.Delay(200);
        }

        await load.StopAsync();
        await cluster.WaitUntilServedAsync();

        var all = load.All;
        var before = load.Between(TimeSpan.Zero, stoppingAt);
        var during = all.Where(o => o.StartedAt < startingAt && o.StartedAt + o.Elapsed > stoppedAt).ToList();
        var after = load.Between(brokerBackAt, TimeSpan.MaxValue);
        var firstServedAfter = after.Count == 0 ? double.NaN : (after.Min(o => o.StartedAt + o.Elapsed) - brokerBackAt).TotalSeconds;
        Figures.Print(output, string.Create(
            System.Globalization.CultureInfo.InvariantCulture,
            $"broker drill: stop_app ran {stoppingAt.TotalSeconds:0.0}-{stoppedAt.TotalSeconds:0.0} s, start_app ran {startingAt.TotalSeconds:0.0}-{brokerBackAt.TotalSeconds:0.0} s " +
            $"(broker down at least {(startingAt - stoppedAt).TotalSeconds:0.0} s, at most {(brokerBackAt - stoppingAt).TotalSeconds:0.0} s)"));
        Figures.Print(output, Figures.Describe("broker drill, before", before));
        Figures.Print(output, Figures.Describe("broker drill, waiting while the broker was stopped", during));
        Figures.Print(output, Figures.Describe("broker drill, sent after", after));
        Figures.Print(output, $"broker drill: {all.Count} requests, {all.Count(o => !o.Ok)} failed; first answer to a request sent after the restart {firstServedAfter:0.0} s after it");

        Assert.All(all, outcome => Assert.True(outcome.Ok, $"request started at {outcome.StartedAt.TotalSeconds:0.0} s: {outcome.Failure}"));
        Assert.NotEmpty(during);
        Assert.NotEmpty(after);
    }
}
