using System.Diagnostics;
using InferenceCluster.IntegrationTests.Drills;

namespace InferenceCluster.IntegrationTests.Deploy;

/// <summary>
/// servers_stop_pid_file of deploy/local/servers.sh, which `cluster.sh down` and `scale` stop a worker's supervisor
/// with: what the supervisor started must not outlive it, and "stopped" is said only of what has stopped.
/// </summary>
public sealed class ProcessGroupStopTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    private readonly string _dir = Directory.CreateTempSubdirectory("inferencecluster-stop.").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task StopPidFile_LeaderOutlastsTheTimeout_KillsItsWholeGroup()
    {
        // The leader stands for a supervisor waiting on a worker that drains longer than the timeout; both ignore TERM
        // (an ignored signal stays ignored in the children), so only the KILL ends them.
        var script = string.Join('\n',
            "set -u",
            $". '{RepositoryPaths.ServersScript}'",
            "setsid bash -c 'trap \"\" TERM; sleep 1000 & echo $! > child.pid; wait' &",
            "echo $! > leader.pid",
            "until [ -s child.pid ]; do sleep 0.05; done",
            "servers_stop_pid_file leader.pid worker-1 1",
            "echo \"rc=$?\"",
            "if kill -0 \"$(cat child.pid)\" 2>/dev/null; then echo child-alive; kill -KILL \"$(cat child.pid)\"; else echo child-gone; fi");

        var output = await RunAsync(script);

        Assert.Contains("child-gone", output, StringComparison.Ordinal);
        Assert.Contains("worker-1: stopped", output, StringComparison.Ordinal);
        Assert.Contains("rc=0", output, StringComparison.Ordinal);
    }

    private async Task<string> RunAsync(string script)
    {
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _dir,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("bash did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Patience);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the script did not end within {Patience.TotalSeconds:0} s");
        }

        return await output + await error;
    }
}
