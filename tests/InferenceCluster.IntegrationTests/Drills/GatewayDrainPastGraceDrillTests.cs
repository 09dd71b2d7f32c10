using System.Diagnostics;
using System.Globalization;
using Xunit.Abstractions;

namespace InferenceCluster.IntegrationTests.Drills;

/// <summary>
/// A gateway sent SIGTERM with more work open than its grace allows: what is not done when the grace ends is told so
/// in OpenAI's shape (a 503 <c>server_shutting_down</c>, or that error as an event and <c>[DONE]</c> in a stream), which
/// clients retry; no connection is cut, no stream is left without its end.
/// </summary>
[Collection(DrillCollection.Name)]
public sealed class GatewayDrainPastGraceDrillTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task GatewayTerminated_WorkOutlastsTheGrace_EveryRequestEndsWithAnswerOrShuttingDownError()
    {
        await using var cluster = new DrillCluster(gatewaySettings: new Dictionary<string, string> { ["Gateway__DrainGrace"] = Grace.ToString() });
        var starting = cluster.StartWorkerAsync("worker-a");
        var gateway = await cluster.StartGatewayAsync("gateway");
        await starting;

        // One worker of four slots and eight requests as long as the context allows: half of them wait in the queue for
        // the other half, far longer than the grace.
        var requests = DrillRequest.Deterministic("drain-past-grace", 8, 1900);
        var streaming = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var answers = Task.WhenAll(requests.Select(request => gateway.AskAsync(request, _ => streaming.TrySetResult())));
        await streaming.Task.WaitAsync(TimeSpan.FromSeconds(60));
        var clock = Stopwatch.StartNew();
        gateway.Process.Terminate();
        var all = await answers;
        var answeredAfter = clock.Elapsed;
        var exited = await gateway.Process.WaitForExitAsync(TimeSpan.FromSeconds(30));

        var completed = all.Count(answer => answer.Succeeded);
        var told = all.Where(answer => !answer.Succeeded && TellsShuttingDown(answer)).ToList();
        DrillFigures.Print(output, string.Create(
            CultureInfo.InvariantCulture,
            $"gateway SIGTERM past its grace ({Grace.TotalSeconds:0} s): {requests.Count} requests of 1900 tokens open on one worker " +
            $"({requests.Count(r => r.Stream)} streamed); {completed} completed, {told.Count} told server_shutting_down " +
            $"({told.Count(answer => answer.Request.Stream)} of them as a stream's error event and [DONE]), " +
            $"{all.Length - completed - told.Count} otherwise; all ended {answeredAfter.TotalSeconds:0.0} s after SIGTERM; " +
            $"gateway exited {(exited ? clock.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s after SIGTERM" : "not within 30 s")}"));

        Assert.All(all, answer => Assert.True(
            answer.Succeeded || TellsShuttingDown(answer),
            $"neither an answer nor a clear error: {answer} (status {answer.Status}, stream ended with [DONE]: {answer.Done})\n{cluster.Output()}"));
        Assert.True(told.Count > 0, $"every request finished within the {Grace.TotalSeconds:0} s grace: the drill proves nothing\n{cluster.Output()}");
        Assert.True(exited, $"the gateway still ran 30 s after SIGTERM\n{cluster.Output()}");
    }

    private static bool TellsShuttingDown(DrillAnswer answer) =>
        answer.Error?.Contains("\"server_shutting_down\"", StringComparison.Ordinal) == true
        && (answer.Request.Stream ? answer.Status == 200 && answer.Done : answer.Status == 503);
}
