using System.Globalization;
using InferenceCluster.IntegrationTests.Drills;

namespace InferenceCluster.IntegrationTests.Deploy;

/// <summary>
/// Functions of deploy/local/servers.sh, which the test command, the drills and `cluster.sh` use. servers_stop_pid_file
/// stops a worker's supervisor for `cluster.sh down` and `scale`: what the supervisor started must not outlive it, and
/// "stopped" is said only of what has stopped. servers_free_port picks the ports of the servers the tests start.
/// </summary>
public sealed class ServersScriptTests : IDisposable
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

    [Fact]
    public async Task FreePort_IsBelowTheKernelsEphemeralRange()
    {
        // A port from that range can be taken by any client's outgoing connection between the check and the server's
        // bind: a drill's RabbitMQ then failed to listen on it, twice in a row.
        var ephemeralLow = int.Parse(File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split('\t', ' ')[0], CultureInfo.InvariantCulture);
        var script = string.Join('\n', "set -u", $". '{RepositoryPaths.ServersScript}'", "for i in $(seq 1 40); do servers_free_port; done");

        var ports = (await RunAsync(script)).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => int.Parse(line, CultureInfo.InvariantCulture)).ToList();

        Assert.Equal(40, ports.Count);
        Assert.All(ports, port => Assert.InRange(port, 1024, ephemeralLow - 1));
    }

    private async Task<string> RunAsync(string script)
    {
        var run = await ProcessRun.BashAsync(script, Patience, _dir);
        return run.Output + run.Error;
    }
}
