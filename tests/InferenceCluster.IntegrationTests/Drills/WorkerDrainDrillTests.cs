using System.Diagnostics;
using Xunit.Abstractions;

namespace InferenceCluster.IntegrationTests.Drills;

/// <summary>
/// A worker sent SIGTERM mid-load drains: it takes no new request, finishes what fits in its grace, leaves the
/// rest unacknowledged for the other worker (which resumes them), and exits; no client sees a difference.
/// </summary>
[Collection(DrillCollection.Name)]
public sealed class WorkerDrainDrillTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(1);

    /// <summary>The termination grace of deploy/k8s, after which Kubernetes would kill the worker.</summary>
    private static readonly TimeSpan Termination = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task WorkerTerminated_RunningRequestsFinishOrMove_NewOnesGoElsewhere_AnswersEqualACleanRun()
    {
        await using var cluster = new DrillCluster();
        var draining = new Dictionary<string, string> { ["Worker__DrainGrace"] = Grace.ToString() };
        var starting = Task.WhenAll(cluster.StartWorkerAsync("worker-a", draining), cluster.StartWorkerAsync("worker-b"));
        var gateway = await cluster.StartGatewayAsync("gateway");
        var workers = await starting;

        // Short answers end within the grace; long ones (as long as the context allows) cannot. The late ones are sent after SIGTERM.
        IReadOnlyList<DrillRequest> early = [.. DrillRequest.Deterministic("drain-short", 8, 60), .. DrillRequest.Deterministic("drain-long", 8, 1900)];
        var late = DrillRequest.Deterministic("drain-late", 4, 60);
        var clean = await DrillLoad.CleanRunAsync(cluster, gateway, [.. early, .. late]);

        // Both workers take requests before the drill: the drop to one consumer below is worker-a's doing.
        var consumersBefore = await cluster.WaitForModelConsumersAsync(2, TimeSpan.FromSeconds(30));
        Assert.True(consumersBefore == 2, $"the model queue had {consumersBefore} consumers, not one per worker\n{cluster.Output()}");

        var clock = Stopwatch.StartNew();
        var load = DrillLoad.Start(gateway, early);
        await load.AllStreamingAsync();
        var terminatedAt = DateTime.UtcNow;
        workers[0].Terminate();
        await workers[0].WaitForLineAsync("Application is shutting down", TimeSpan.FromSeconds(30));

        // The bus cancels its consumer right after the host starts stopping; on a loaded machine that takes a moment.
        // The late requests go out once the broker itself counts worker-b's consumer alone on the queue.
        var consumersLeft = await cluster.WaitForModelConsumersAsync(1, TimeSpan.FromSeconds(30));
        Assert.True(consumersLeft == 1, $"the model queue still had {consumersLeft} consumers 30 s after SIGTERM to worker-a\n{cluster.Output()}");
        var lateAnswers = await Task.WhenAll(late.Select(request => gateway.AskAsync(request)));
        var exited = await workers[0].WaitForExitAsync(Termination);
        var exitAfter = DateTime.UtcNow - terminatedAt;
        var answers = (await load.Answers).Concat(lateAnswers).ToList();

        var finishedOnA = workers[0].CountSince("finished (", terminatedAt);
        var leftOnA = workers[0].Count("interrupted by shutdown");
        var lateOnA = lateAnswers.Count(answer => answer.RequestId is { } id && workers[0].Count(id) > 0);
        DrillFigures.Print(
            output,
            $"worker SIGTERM drain (grace {Grace.TotalSeconds:0} s): {early.Count} requests running (8 of 60 tokens, 8 of 1900), 4 sent after SIGTERM; " +
            $"worker-a finished {finishedOnA} after SIGTERM, left {leftOnA} unacknowledged at the end of its grace, took {lateOnA} of the late ones, and exited " +
            $"{exitAfter.TotalSeconds:0.0} s after SIGTERM (code {(exited ? workers[0].ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture) : "still running")}); " +
            $"worker-b resumed {workers[1].CountSince("redelivered", terminatedAt)}; all answered in {clock.Elapsed.TotalSeconds:0.0} s; answers equal to the clean run: {DrillLoad.Equal(clean, answers)}/{answers.Count}");

        DrillLoad.AssertEqual(cluster, clean, answers);
        Assert.True(exited, $"worker-a still ran {exitAfter.TotalSeconds:0.0} s after SIGTERM\n{cluster.Output()}");
        Assert.True(exitAfter < Termination, $"worker-a took {exitAfter.TotalSeconds:0.0} s to exit with a {Grace.TotalSeconds} s grace");
        Assert.Equal(0, lateOnA);
        Assert.True(leftOnA > 0, $"no request outlasted the grace, so nothing was left for worker-b\n{cluster.Output()}");
    }
}
