using System.Diagnostics;
using InferenceCluster.IntegrationTests.Drills;

namespace InferenceCluster.IntegrationTests.Deploy;

/// <summary>
/// Functions of deploy/local/cluster.sh, called with the script sourced: what it keeps in its state folder.
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

    private async Task<string> RunAsync(params string[] lines)
    {
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _dir,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(string.Join('\n', [$". '{Path.Combine(RepositoryPaths.Root, "deploy", "local", "cluster.sh")}'", "set +e", .. lines]));
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
