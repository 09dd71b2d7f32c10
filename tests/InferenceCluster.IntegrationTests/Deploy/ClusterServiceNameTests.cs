using InferenceCluster.IntegrationTests.Drills;

namespace InferenceCluster.IntegrationTests.Deploy;

/// <summary>
/// The OTEL_SERVICE_NAME each service cluster.sh starts really sees (a stand-in dotnet writes it down): the caller's when
/// the caller named the services, as the README promises of every OTEL_* variable; else gateway and worker-N.
/// </summary>
public sealed class ClusterServiceNameTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    private readonly string _dir = Directory.CreateTempSubdirectory("inferencecluster-names.").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("", "gateway", "worker-1")]
    [InlineData("OTEL_SERVICE_NAME_PREFIX=eu-", "eu-gateway", "eu-worker-1")]

    // The caller's name was overwritten with gateway and worker-N.
    [InlineData("OTEL_SERVICE_NAME=inference", "inference", "inference")]

    // A service.name in the resource attributes is the services' name when OTEL_SERVICE_NAME is unset: it was hidden too.
    [InlineData("OTEL_RESOURCE_ATTRIBUTES=deployment.environment=lab,service.name=inference", "unset", "unset")]
    public async Task StartServices_CallerNamesTheServicesOrNot_EachSeesTheNameItShould(string assignment, string gateway, string worker)
    {
        var names = await StartAsync(assignment);

        Assert.Equal(gateway, names["Gateway"]);
        Assert.Equal(worker, names["Worker"]);
    }

    private static string ClusterScript => Path.Combine(RepositoryPaths.Root, "deploy", "local", "cluster.sh");

    /// <summary>Starts the gateway and worker 1 as `up` does, each a stand-in dotnet; the OTEL_SERVICE_NAME each saw.</summary>
    private async Task<Dictionary<string, string>> StartAsync(string assignment)
    {
        foreach (var folder in (string[])["gateway", "worker/bin/Release/net10.0", "bin"])
        {
            Directory.CreateDirectory(Path.Combine(_dir, folder));
        }

        var fake = Path.Combine(_dir, "bin", "dotnet");
        File.WriteAllText(fake, $"#!/usr/bin/env bash\necho \"${{OTEL_SERVICE_NAME-unset}}\" > '{_dir}/'\"$(basename \"$1\" .dll)\".name\n");
        var script = string.Join('\n',
            $"chmod +x '{fake}'",
            "unset OTEL_SERVICE_NAME OTEL_SERVICE_NAME_PREFIX OTEL_RESOURCE_ATTRIBUTES",
            assignment.Length == 0 ? ":" : $"export '{assignment}'",
            $". '{ClusterScript}'; set +e",
            $"STATE='{_dir}' WORKER_PROJECT='{_dir}/worker' CONFIGURATION=Release; PATH='{_dir}/bin':$PATH",
            $"start_service gateway '{_dir}/gateway/InferenceCluster.Gateway.dll' > /dev/null",
            "start_worker 1 > /dev/null",
            "wait");
        var run = await ProcessRun.BashAsync(script, Patience, _dir);
        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        return new()
        {
            ["Gateway"] = File.ReadAllText(Path.Combine(_dir, "InferenceCluster.Gateway.name")).Trim(),
            ["Worker"] = File.ReadAllText(Path.Combine(_dir, "InferenceCluster.Worker.name")).Trim(),
        };
    }
}
