using InferenceCluster.IntegrationTests.Drills;

namespace InferenceCluster.IntegrationTests.Deploy;

/// <summary>`cluster.sh logs`: the log files cluster.sh writes in its state folder, by service, and a bad argument named.</summary>
public sealed class ClusterLogsTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    private readonly string _dir = Directory.CreateTempSubdirectory("inferencecluster-logs.").FullName;

    public ClusterLogsTests()
    {
        File.WriteAllText(Path.Combine(_dir, "gateway.log"), "gateway line\n");
        File.WriteAllText(Path.Combine(_dir, "worker-1.log"), "worker one line\n");
        File.WriteAllText(Path.Combine(_dir, "worker-2.log"), "old worker two line\nworker two line\n");
        Directory.CreateDirectory(Path.Combine(_dir, "redis"));
        File.WriteAllText(Path.Combine(_dir, "redis", "redis.log"), "redis line\n");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Logs_NoName_ShowsTheGatewayAndEveryWorker()
    {
        var output = await RunAsync("cmd_logs; echo \"rc=$?\"");

        Assert.Contains("gateway line", output, StringComparison.Ordinal);
        Assert.Contains("worker one line", output, StringComparison.Ordinal);
        Assert.Contains("worker two line", output, StringComparison.Ordinal);
        Assert.DoesNotContain("redis line", output, StringComparison.Ordinal);
        Assert.Contains("rc=0", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logs_NamedServicesAndLines_ShowsThoseLogsOnly()
    {
        var output = await RunAsync("cmd_logs worker-2 redis --lines 1; echo \"rc=$?\"");

        Assert.Contains("worker two line", output, StringComparison.Ordinal);
        Assert.Contains("redis line", output, StringComparison.Ordinal);
        Assert.DoesNotContain("old worker two line", output, StringComparison.Ordinal);
        Assert.DoesNotContain("gateway line", output, StringComparison.Ordinal);
        Assert.Contains("rc=0", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logs_Follow_ShowsWhatIsWrittenNext()
    {
        var output = await RunAsync(
            "(cmd_logs gateway --follow > followed.txt) & follower=$!",
            "for _ in $(seq 1 300); do grep -q 'gateway line' followed.txt 2>/dev/null && break; sleep 0.1; done",
            "echo 'written later' >> gateway.log",
            "for _ in $(seq 1 300); do grep -q 'written later' followed.txt && break; sleep 0.1; done",
            "kill $follower; wait $follower",
            "cat followed.txt");

        Assert.Contains("written later", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bogus", "rc=2", "logs: 'bogus' is no service of the cluster")]
    [InlineData("worker-x", "rc=2", "logs: 'worker-x' is no service of the cluster")]
    [InlineData("--tail", "rc=2", "logs: unknown option '--tail'")]
    [InlineData("gateway --lines many", "rc=2", "logs: --lines needs a whole number, got 'many'")]
    [InlineData("worker-3", "rc=1", "logs: no log of worker-3 in")]
    public async Task Logs_BadArgument_NamesItAndFails(string arguments, string code, string message)
    {
        var output = await RunAsync($"cmd_logs {arguments}; echo \"rc=$?\"");

        Assert.Contains(code, output, StringComparison.Ordinal);
        Assert.Contains(message, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Script_LogsOfAServiceThatIsNone_ExitsNonZeroNamingIt()
    {
        // Run as an operator runs it, not sourced: the script's own exit code.
        var run = await ProcessRun.BashAsync($"'{ClusterScript}' logs nosuch", Patience, _dir);

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("'nosuch' is no service of the cluster", run.Error, StringComparison.Ordinal);
    }

    private static string ClusterScript => Path.Combine(RepositoryPaths.Root, "deploy", "local", "cluster.sh");

    private async Task<string> RunAsync(params string[] lines)
    {
        var script = string.Join('\n', [$". '{ClusterScript}'", "set +e", "STATE=.", .. lines]);
        var run = await ProcessRun.BashAsync(script, Patience, _dir);
        return run.Output + run.Error;
    }
}
