using InferenceCluster.IntegrationTests.Drills;

namespace InferenceCluster.IntegrationTests.Deploy;

/// <summary>
/// Functions of deploy/local/cluster.sh, called with the script sourced: what it keeps in its state folder and how long
/// `down` and `scale` wait for a draining worker or gateway.
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

    [Theory]
    [InlineData(null, null, 50)]
    [InlineData("Gateway__DrainGrace", "00:05:00", 330)]
    [InlineData("Gateway__DrainGrace", "0.00:05:00.5", 331)]
    [InlineData("Gateway__DrainGrace", "00:30", 1830)]
    [InlineData("GATEWAY__DRAINGRACE", "00:05:00", 330)]
    [InlineData("gateway__drainGrace", "0:00:05:00", 330)]
    [InlineData("Gateway:DrainGrace", "00:05:00", 330)]
    [InlineData("DOTNET_Gateway__DrainGrace", "00:05:00", 330)]
    [InlineData("ASPNETCORE_Gateway__DrainGrace", "01:00:00", 3630)]
    public async Task GatewayStopTimeout_EveryFormTheGatewayReads_FollowsTheDrainGrace(string? variable, string? grace, int seconds)
    {
        // `down` gave the gateway 30 s whatever its grace: a 5-minute drain was killed, its streams cut, after 30 s.
        var output = await RunAsync(variable is null ? "gateway_stop_timeout" : $"env '{variable}={grace}' bash -c \". '{ClusterScript}'; gateway_stop_timeout\"");

        Assert.Equal(seconds.ToString(System.Globalization.CultureInfo.InvariantCulture), output.Trim());
    }

    [Fact]
    public async Task GatewayStopTimeout_AppSettingsFiles_ReadAsTheGatewayReadsThem()
    {
        // The gateway's folder: appsettings.Production.json over appsettings.json over the DOTNET_ variable; the plain
        // variable over all of them.
        var folder = Directory.CreateDirectory(Path.Combine(_dir, "gateway", "bin", "Release", "net10.0")).FullName;
        File.WriteAllText(Path.Combine(folder, "appsettings.json"), """{ "gateway": { "drainGrace": "00:07:00" } }""");
        File.WriteAllText(Path.Combine(folder, "appsettings.Production.json"), """{ "Gateway:DrainGrace": "00:08:00" }""");

        var output = await RunAsync(
            "GATEWAY_PROJECT=gateway CONFIGURATION=Release",
            "export DOTNET_Gateway__DrainGrace=00:05:00",
            "echo \"production $(gateway_stop_timeout)\"",
            "rm gateway/bin/Release/net10.0/appsettings.Production.json",
            "echo \"base $(gateway_stop_timeout)\"",
            "export Gateway__DrainGrace=00:01:00",
            "echo \"variable $(gateway_stop_timeout)\"");

        Assert.Contains("production 510", output, StringComparison.Ordinal);
        Assert.Contains("base 450", output, StringComparison.Ordinal);
        Assert.Contains("variable 90", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Gateway__DrainGrace='1.00:00:00'")]
    [InlineData("Gateway__DrainGrace='twenty seconds'")]
    [InlineData("Gateway__DrainGrace=00:00:20 GATEWAY__DRAINGRACE=00:10:00")]
    public async Task GatewayDrainGraceSeconds_ValueTheGatewayRefusesOrAmbiguous_FailsNamingIt(string assignments)
    {
        var output = await RunAsync($"export {assignments}", "gateway_drain_grace_seconds; echo \"rc=$?\"");

        Assert.Contains("rc=1", output, StringComparison.Ordinal);
        Assert.Contains("Gateway__DrainGrace", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Down_GatewayStartedWithALongDrain_WaitsForItWhateverTheEnvironmentOfDown()
    {
        // `up` ran with a 5-minute drain, `down` in a shell without the variable: the stop waits the drain plus 30 s.
        var output = await RunAsync(
            "STATE=.",
            "export Gateway__DrainGrace=00:05:00",
            "save_gateway_stop_timeout",
            "unset Gateway__DrainGrace",
            "echo 123 > gateway.pid",
            "servers_stop_pid_file() { echo \"stop $2 within ${3:-30}s\"; rm -f \"$1\"; }",
            "cmd_down");

        Assert.Contains("stop gateway within 330s", output, StringComparison.Ordinal);
    }

    private static string ClusterScript => Path.Combine(RepositoryPaths.Root, "deploy", "local", "cluster.sh");

    private async Task<string> RunAsync(params string[] lines)
    {
        var script = string.Join('\n', [$". '{ClusterScript}'", "set +e", .. lines]);
        var run = await ProcessRun.BashAsync(script, Patience, _dir);
        return run.Output + run.Error;
    }
}
