using System.Diagnostics;
using Xunit.Abstractions;

namespace InferenceCluster.IntegrationTests.Drills;

/// <summary>
/// A gateway sent SIGTERM while it streams: it refuses new connections at once, its open streams run to their
/// end within its grace, then it exits.
/// </summary>
[Collection(DrillCollection.Name)]
public sealed class GatewayDrainDrillTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task GatewayTerminated_OpenStreamsFinish_NewConnectionsRefused()
    {
        await using var cluster = new DrillCluster(gatewaySettings: new Dictionary<string, string> { ["Gateway__DrainGrace"] = Grace.ToString() });
        var starting = Task.WhenAll(cluster.StartWorkerAsync("worker-a"), cluster.StartWorkerAsync("worker-b"));
        var gateway = await cluster.StartGatewayAsync("gateway");
        await starting;
        var requests = DrillRequest.Deterministic("gateway-drain", 8, 500);
        var clean = await DrillLoad.CleanRunAsync(cluster, gateway, requests);

        var load = DrillLoad.Start(gateway, requests);
        await load.AllStreamingAsync();
        var clock = Stopwatch.StartNew();
        gateway.Process.Terminate();
        await gateway.Process.WaitForLineAsync("Application is shutting down", TimeSpan.FromSeconds(10));
        var refused = await gateway.AskAsync(requests[0]);
        var refusedAfter = clock.Elapsed;
        var answers = await load.Answers;
        var streamsDone = clock.Elapsed;
        var exited = await gateway.Process.WaitForExitAsync(Grace + TimeSpan.FromSeconds(10));
        var exitAfter = clock.Elapsed;

        DrillFigures.Print(
            output,
            $"gateway SIGTERM drain (grace {Grace.TotalSeconds:0} s): {requests.Count} requests open ({requests.Count(r => r.Stream)} streamed) of 500 tokens; " +
            $"a new request {refusedAfter.TotalSeconds:0.00} s after SIGTERM got '{refused.Error ?? refused.Status.ToString(System.Globalization.CultureInfo.InvariantCulture)}'; " +
            $"open requests done {streamsDone.TotalSeconds:0.00} s after SIGTERM, {DrillLoad.Equal(clean, answers)}/{requests.Count} equal to the clean run; " +
            $"gateway exited after {exitAfter.TotalSeconds:0.00} s (code {(exited ? gateway.Process.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture) : "still running")})");

        Assert.False(refused.Succeeded, $"a request sent during the drain was served: {refused}");
        DrillLoad.AssertEqual(cluster, clean, answers);
        Assert.True(exited, $"the gateway still ran {exitAfter.TotalSeconds:0.0} s after SIGTERM\n{cluster.Output()}");
        // Half the grace: a gateway that waited out its grace after the streams ended exits later; a loaded machine may
        // take seconds to stop the host and the bus.
        Assert.True(exitAfter < streamsDone + (Grace / 2), $"the gateway exited {exitAfter.TotalSeconds:0.0} s after SIGTERM, long after its streams ended ({streamsDone.TotalSeconds:0.0} s)");
    }
}
