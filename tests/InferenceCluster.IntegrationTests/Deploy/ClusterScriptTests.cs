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
        var output = await RunAsync(grace is null ? "unset Worker__DrainGrace" : $"export Worker__DrainGrace='{grace}'", "stop_timeout \"$WORKER_PROJECT\" Worker");

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
        var output = await RunAsync($"export Worker__DrainGrace='{grace}'", "drain_grace_seconds \"$WORKER_PROJECT\" Worker; echo \"rc=$?\"");

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
        var output = await RunAsync(variable is null ? "stop_timeout \"$GATEWAY_PROJECT\" Gateway" : $"env '{variable}={grace}' bash -c \". '{ClusterScript}'; stop_timeout \\\"\\$GATEWAY_PROJECT\\\" Gateway\"");

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
            "CONFIGURATION=Release",
            "export DOTNET_Gateway__DrainGrace=00:05:00",
            "echo \"production $(stop_timeout gateway Gateway)\"",
            "rm gateway/bin/Release/net10.0/appsettings.Production.json",
            "echo \"base $(stop_timeout gateway Gateway)\"",
            "export Gateway__DrainGrace=00:01:00",
            "echo \"variable $(stop_timeout gateway Gateway)\"");

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
        var output = await RunAsync($"export {assignments}", "drain_grace_seconds \"$GATEWAY_PROJECT\" Gateway; echo \"rc=$?\"");

        Assert.Contains("rc=1", output, StringComparison.Ordinal);
        Assert.Contains("Gateway__DrainGrace", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Down_GatewayStartedWithALongDrain_WaitsForItWhateverTheEnvironmentOfDown()
    {
        // `up` ran with a 5-minute drain, `down` in a shell without the variable: the stop waits the drain plus 30 s.
        var output = await RunAsync(
            "STATE=.",
            "echo 330 > gateway.stop-timeout",
            "echo 90 > workers.stop-timeout",
            "echo 123 > gateway.pid",
            "echo 124 > worker-1.pid",
            "servers_stop_pid_file() { echo \"stop $2 within ${3:-30}s\"; rm -f \"$1\"; }",
            "cmd_down");

        Assert.Contains("stop gateway within 330s", output, StringComparison.Ordinal);
        Assert.Contains("stop worker-1 within 90s", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("WORKER__DRAINGRACE", "00:05:00", 330)]
    [InlineData("worker__drainGrace", "00:05:00", 330)]
    [InlineData("Worker:DrainGrace", "00:05:00", 330)]
    [InlineData("DOTNET_Worker__DrainGrace", "00:05:00", 330)]
    [InlineData("ASPNETCORE_Worker__DrainGrace", "00:05:00", 50)]
    public async Task WorkerStopTimeout_EveryNameTheWorkerReads_FollowsTheDrainGrace(string variable, string grace, int seconds)
    {
        // Only Worker__DrainGrace was read: `down` killed a worker told WORKER__DRAINGRACE=00:05:00 after 50 s. The worker
        // is no web host: it does not read ASPNETCORE_ variables.
        var output = await RunAsync($"env '{variable}={grace}' bash -c \". '{ClusterScript}'; stop_timeout \\\"\\$WORKER_PROJECT\\\" Worker\"");

        Assert.Equal(seconds.ToString(System.Globalization.CultureInfo.InvariantCulture), output.Trim());
    }

    [Fact]
    public async Task WorkerStopTimeout_AppSettingsFiles_ReadAsTheWorkerReadsThem()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_dir, "worker", "bin", "Release", "net10.0")).FullName;
        File.WriteAllText(Path.Combine(folder, "appsettings.json"), """{ "Worker": { "DrainGrace": "00:07:00" } }""");

        var output = await RunAsync("CONFIGURATION=Release", "export DOTNET_Worker__DrainGrace=00:05:00", "stop_timeout worker Worker");

        Assert.Equal("450", output.Trim());
    }

    [Fact]
    public async Task SaveWorkerEnvironment_SettingsInEveryForm_GivenToWorkersStartedLater()
    {
        // `scale` starts workers from workers.env: a grace set as worker__drainGrace or Worker:DrainGrace was lost.
        var output = await RunAsync(
            $"env 'Worker:DrainGrace=00:06:00' worker__id=eu bash -c \". '{ClusterScript}'; STATE=.; save_worker_environment\"",
            "unset worker__id",
            ". ./workers.env",
            "start_supervised() { printf '%s\\n' \"$@\"; }",
            "start_worker 1");

        Assert.Contains("Worker:DrainGrace=00:06:00", output, StringComparison.Ordinal);
        Assert.Contains("worker__id=\"eu\"", File.ReadAllText(Path.Combine(_dir, "workers.env")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("DOTNET_Gateway__DrainGrace", "DOTNET_Gateway__DrainGrace must be")]
    [InlineData("json", "Gateway:DrainGrace in gateway/bin/Release/net10.0/appsettings.json must be")]
    public async Task GatewayDrainGraceSeconds_RefusedValue_NamesWhereItWasSet(string source, string message)
    {
        // The refusal always named Gateway__DrainGrace, sending the operator to a variable that was not set.
        var folder = Directory.CreateDirectory(Path.Combine(_dir, "gateway", "bin", "Release", "net10.0")).FullName;
        if (source == "json")
        {
            File.WriteAllText(Path.Combine(folder, "appsettings.json"), """{ "Gateway": { "DrainGrace": "02:00:00" } }""");
        }

        var output = await RunAsync(
            "CONFIGURATION=Release",
            source == "json" ? ":" : $"export {source}=02:00:00",
            "drain_grace_seconds gateway Gateway");

        Assert.Contains(message, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Up_GraceRefusedByTheBuiltAppSettings_Exits78BeforeStartingAnything()
    {
        // The grace was checked before `dotnet build` wrote the output folder's appsettings, so a bad value there went
        // unseen: the worker exited 78, and `down` fell back to a 3630 s wait.
        var output = await RunAsync(
            "STATE=./state GATEWAY_PROJECT=gateway WORKER_PROJECT=worker CONFIGURATION=Release",
            "mkdir gateway worker",
            "dotnet() { mkdir -p \"$2/bin/Release/net10.0\"; echo '{ \"Worker\": { \"DrainGrace\": \"02:00:00\" } }' > \"$2/bin/Release/net10.0/appsettings.json\"; }",
            "start_servers() { echo started servers; }",
            "start_worker() { echo started worker; }",
            "start_service() { echo started gateway; }",
            "(cmd_up --workers 1); echo \"rc=$?\"");

        Assert.Contains("rc=78", output, StringComparison.Ordinal);
        Assert.Contains("Worker:DrainGrace in worker/bin/Release/net10.0/appsettings.json must be", output, StringComparison.Ordinal);
        Assert.DoesNotContain("started", output, StringComparison.Ordinal);
    }

    private static string ClusterScript => Path.Combine(RepositoryPaths.Root, "deploy", "local", "cluster.sh");

    private async Task<string> RunAsync(params string[] lines)
    {
        var script = string.Join('\n', [$". '{ClusterScript}'", "set +e", .. lines]);
        var run = await ProcessRun.BashAsync(script, Patience, _dir);
        return run.Output + run.Error;
    }
}
