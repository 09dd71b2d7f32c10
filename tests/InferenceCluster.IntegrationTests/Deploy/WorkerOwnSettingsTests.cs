using InferenceCluster.IntegrationTests.Drills;

namespace InferenceCluster.IntegrationTests.Deploy;

/// <summary>
/// Each worker cluster.sh starts gets its own Worker:Id, Worker:MetricsPort and Worker:MetricsAddress, in one form only:
/// checked in the environment each started worker really sees, as `up` and `scale` start them (a stand-in dotnet writes
/// it down; a bash script, since dash drops names such as Worker:Id).
/// </summary>
public sealed class WorkerOwnSettingsTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    private readonly string _dir = Directory.CreateTempSubdirectory("inferencecluster-workers.").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("WORKER__ID")]
    [InlineData("worker__id")]
    [InlineData("Worker:Id")]
    [InlineData("worker:ID")]
    [InlineData("DOTNET_Worker__Id")]
    [InlineData("DOTNET_WORKER:ID")]
    public async Task StartWorker_IdInAnotherForm_EachWorkerSeesOnlyItsOwnId(string variable)
    {
        // The worker got WORKER__ID=eu beside Worker__Id=local-worker-1: .NET reads both as Worker:Id and takes either,
        // so every worker could run as "eu", sharing one cancel queue.
        var output = await StartAsync($"'{variable}=eu'");

        for (var i = 1; i <= 3; i++)
        {
            Assert.Equal([$"Worker__Id=eu-{i}"], Seen(i, "worker:id"));
            Assert.Equal([$"Worker__MetricsPort={9463 + i}"], Seen(i, "worker:metricsport"));
        }

        Assert.DoesNotContain("rc=", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("WORKER__METRICSADDRESS")]
    [InlineData("Worker:MetricsAddress")]
    public async Task StartWorker_MetricsAddressInAnotherForm_TakenInOneForm(string variable)
    {
        await StartAsync($"'{variable}=0.0.0.0'");

        for (var i = 1; i <= 3; i++)
        {
            Assert.Equal(["Worker__MetricsAddress=0.0.0.0"], Seen(i, "worker:metricsaddress"));
        }
    }

    [Fact]
    public async Task StartWorker_IdThatReadsLikeAnEchoOption_KeptAsTheIdPrefix()
    {
        // echo took "-n" for its own option and printed nothing: the workers ran as "-1", "-2" and "-3".
        await StartAsync("Worker__Id=-n");

        for (var i = 1; i <= 3; i++)
        {
            Assert.Equal([$"Worker__Id=-n-{i}"], Seen(i, "worker:id"));
        }
    }

    [Theory]
    [InlineData("192.0.2.7", "http://192.0.2.7:9464/metrics")]
    [InlineData("0.0.0.0", "http://127.0.0.1:9464/metrics")]
    [InlineData("[::1]", "http://[::1]:9464/metrics")]
    [InlineData("[::]", "http://127.0.0.1:9464/metrics")]
    public async Task StartWorker_MetricsAddressGiven_StatusShowsWhereTheMetricsAre(string address, string url)
    {
        // The address status shows was always 127.0.0.1, where a worker told to listen on 192.0.2.7 does not answer.
        await StartAsync($"'Worker:MetricsAddress={address}'");

        Assert.Equal(url, File.ReadAllText(Path.Combine(_dir, "worker-1.metrics")).Trim());
    }

    [Theory]
    [InlineData("Worker__MetricsPort")]
    [InlineData("WORKER__METRICSPORT")]
    [InlineData("worker:metricsPort")]
    [InlineData("DOTNET_Worker__MetricsPort")]
    public async Task StartWorker_MetricsPortGiven_RefusedNamingItBeforeAnyWorkerStarts(string variable)
    {
        // Every worker would have been told the same port beside its own: the second could not listen.
        var output = await StartAsync($"'{variable}=9000'");

        Assert.Contains("rc=78", output, StringComparison.Ordinal);
        Assert.Contains($"{variable}: cluster.sh gives worker i the metrics port WORKER_METRICS_PORT + i - 1", output, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_dir, "*.env"));
    }

    [Fact]
    public async Task StartWorker_IdInTwoFormsThatDisagree_RefusedNamingBoth()
    {
        var output = await StartAsync("Worker__Id=eu 'worker:id=us'");

        Assert.Contains("rc=78", output, StringComparison.Ordinal);
        Assert.Contains("both set the workers' Worker:Id, to", output, StringComparison.Ordinal);
        Assert.Contains("worker:id", output, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_dir, "*.env"));
    }

    private static string ClusterScript => Path.Combine(RepositoryPaths.Root, "deploy", "local", "cluster.sh");

    /// <summary>Workers 1 and 2 started by `up` (build, servers and gateway left out) with the variables set; worker 3
    /// as `scale` starts it, from workers.env. Prints rc=N when either stops with N.</summary>
    private async Task<string> StartAsync(string assignments)
    {
        Directory.CreateDirectory(Path.Combine(_dir, "worker", "bin", "Release", "net10.0"));
        Directory.CreateDirectory(Path.Combine(_dir, "gateway"));
        var fake = Path.Combine(_dir, "bin", "dotnet");
        Directory.CreateDirectory(Path.GetDirectoryName(fake)!);
        File.WriteAllText(fake, $"#!/usr/bin/env bash\nenv > '{_dir}/'\"$OTEL_SERVICE_NAME\".env\n");

        var setup = $"STATE='{_dir}' WORKER_PROJECT='{_dir}/worker' GATEWAY_PROJECT='{_dir}/gateway' CONFIGURATION=Release; PATH='{_dir}/bin':$PATH";
        var stubs = "dotnet() { :; }; start_servers() { :; }; start_service() { :; }; wait_ready() { :; }";
        var script = string.Join('\n',
            $"chmod +x '{fake}'",
            $"env {assignments} bash -c \". '{ClusterScript}'; {setup}; {stubs}; cmd_up --workers 2 > /dev/null; wait\" || echo \"rc=$?\"",
            $"[ -f '{_dir}/workers.env' ] || exit 0",
            $". '{ClusterScript}'; set +e; {setup}; . '{_dir}/workers.env'",
            "start_worker 3 > /dev/null || echo \"rc=$?\"",
            "wait");
        var run = await ProcessRun.BashAsync(script, Patience, _dir);
        return run.Output + run.Error;
    }

    /// <summary>The variables worker I was started with that set KEY (section:name) as .NET reads them.</summary>
    private string[] Seen(int worker, string key)
    {
        var file = Path.Combine(_dir, $"worker-{worker}.env");
        Assert.True(File.Exists(file), $"worker-{worker} was not started");
        return [.. File.ReadAllLines(file).Where(line => Normalized(line.Split('=')[0]) == key)];
    }

    private static string Normalized(string name)
    {
        var key = name.ToLowerInvariant().Replace("__", ":", StringComparison.Ordinal);
        return key.StartsWith("dotnet_", StringComparison.Ordinal) ? key["dotnet_".Length..] : key;
    }
}
