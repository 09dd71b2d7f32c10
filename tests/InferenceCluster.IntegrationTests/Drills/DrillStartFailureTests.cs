using System.Diagnostics;

namespace InferenceCluster.IntegrationTests.Drills;

/// <summary>
/// A drill whose process exits at start (a bad setting) fails at once with the process's exit code and last lines; it
/// waited the whole start patience (three minutes for the listing) and then said only that the model was not listed.
/// </summary>
[Collection(DrillCollection.Name)]
public sealed class DrillStartFailureTests
{
    /// <summary>Generous for a loaded machine, and far below the three minutes the wait for the listing allows.</summary>
    private static readonly TimeSpan Fast = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task UnlessOneExits_ProcessExitsAtOnce_FailsNamingItsExitCodeAndLastLines()
    {
        await using var worker = ServiceProcess.Start("worker-a", Shell(
            "echo starting; echo 'Invalid configuration: Worker:EngineStallTimeout must lie between 10 seconds and 1 hour.' >&2; exit 78"));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            ServiceProcess.UnlessOneExitsAsync(() => [worker], "waiting for the gateway to list the model", NeverAsync).WaitAsync(Fast));

        Assert.StartsWith("worker-a exited with code 78 while waiting for the gateway to list the model.", error.Message, StringComparison.Ordinal);
        Assert.Contains("Invalid configuration: Worker:EngineStallTimeout", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnlessOneExits_ProcessKilledByTheDrill_WaitGoesOn()
    {
        await using var worker = ServiceProcess.Start("worker-a", Shell("sleep 60"));
        worker.Kill();
        Assert.True(await worker.WaitForExitAsync(Fast));

        var listed = await ServiceProcess.UnlessOneExitsAsync(() => [worker], "waiting", async token =>
        {
            await Task.Delay(300, token);
            return true;
        }).WaitAsync(Fast);

        Assert.True(listed);
    }

    [Fact]
    public async Task StartGateway_WorkerExitsAtStartOnABadSetting_FailsAtOnceNamingTheWorkerItsExitCodeAndTheSetting()
    {
        await using var cluster = new DrillCluster();
        var starting = cluster.StartWorkerAsync("worker-a", new Dictionary<string, string> { ["Worker__EngineStallTimeout"] = "00:00:02" });
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => cluster.StartGatewayAsync("gateway").WaitAsync(Fast));

        // While the gateway starts, or while it waits for the listing: whichever the worker's exit meets.
        Assert.StartsWith("worker-a exited with code 78 while ", error.Message, StringComparison.Ordinal);
        Assert.Contains("Worker:EngineStallTimeout", error.Message, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < Fast, $"the failure took {clock.Elapsed.TotalSeconds:0} s");
        await Assert.ThrowsAsync<InvalidOperationException>(() => starting);
    }

    private static Task<bool> NeverAsync(CancellationToken cancellationToken) =>
        Task.Delay(Timeout.Infinite, cancellationToken).ContinueWith(_ => true, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);

    private static ProcessStartInfo Shell(string script) => new("/bin/sh") { ArgumentList = { "-c", script } };
}
