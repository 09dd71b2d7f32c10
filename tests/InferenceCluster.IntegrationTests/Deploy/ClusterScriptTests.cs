using InferenceCluster.IntegrationTests.Drills;

namespace InferenceCluster.IntegrationTests.Deploy;

/// <summary>
/// Functions of deploy/local/cluster.sh, called with the script sourced: what it keeps in its state folder and how long
/// `down` and `scale` wait for a draining worker.
/// </summary>
public sealed class ClusterScriptTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    private readonly string _dir = Directory.CreateTempSubdirectory("inferencecluster-cluster.").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SaveWorkerEnvironment_ConnectionStrings_ReadableByTheOwnerOnly(bool leftByAnEarlierRun)
    {
        // The file holds the broker's and Redis's passwords; one left readable by an earlier run must not stay so.
        var output = await RunAsync(
            "umask 022",
            leftByAnEarlierRun ? "touch workers.env; chmod 644 workers.env" : ":",
            "export ConnectionStrings__rabbitmq=amqp://worker:s3cret@127.0.0.1:5672/",
            "STATE=.",
            "save_worker_environment",
            "stat -c 'mode %a' workers.env");

        Assert.Contains("mode 600", output, StringComparison.Ordinal);
        Assert.Contains("s3cret", File.ReadAllText(Path.Combine(_dir, "workers.env")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, 50)]
    [InlineData("00:00:20", 50)]
    [InlineData("00:00:20.5", 51)]
    [InlineData("0.00:30:00", 1830)]
    [InlineData("00:30", 1830)]
    [InlineData("0:00:30:00", 1830)]
    [InlineData("01:00:00", 3630)]
    public async Task WorkerStopTimeout_EveryFormTheWorkerReads_FollowsTheDrainGrace(string? grace, int seconds)
    {
        // d.hh:mm:ss and hh:mm, which the worker reads, fell back to 50 s: `down` killed a worker 30 minutes into its drain.
        var output = await RunAsync(grace is null ? "unset Worker__DrainGrace" : $"export Worker__DrainGrace='{grace}'", "worker_stop_timeout");

        Assert.Equal(seconds.ToString(System.Globalization.CultureInfo.InvariantCulture), output.Trim());
    }

    [Theory]
    [InlineData("1.00:00:00")]
    [InlineData("01:00:01")]
    [InlineData("5")]
    [InlineData("-00:00:01")]
    [InlineData("00:60:00")]
    [InlineData("twenty seconds")]
    public async Task WorkerDrainGraceSeconds_ValueTheWorkerRefuses_FailsNamingIt(string grace)
    {
        // The worker exits 78 on it: `up` stops before starting anything rather than wait for a readiness that never comes.
        var output = await RunAsync($"export Worker__DrainGrace='{grace}'", "worker_drain_grace_seconds; echo \"rc=$?\"");

        Assert.Contains("rc=1", output, StringComparison.Ordinal);
        Assert.Contains("Worker__DrainGrace must be", output, StringComparison.Ordinal);
    }

    private async Task<string> RunAsync(params string[] lines)
    {
        var script = string.Join('\n', [$". '{Path.Combine(RepositoryPaths.Root, "deploy", "local", "cluster.sh")}'", "set +e", .. lines]);
        var run = await ProcessRun.BashAsync(script, Patience, _dir);
        return run.Output + run.Error;
    }
}
