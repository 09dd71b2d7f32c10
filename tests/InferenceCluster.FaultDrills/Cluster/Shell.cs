using System.Diagnostics;

namespace InferenceCluster.FaultDrills.Cluster;

/// <summary>Runs a bash snippet with the repository's server functions loaded (deploy/local/servers.sh).</summary>
internal static class Shell
{
    public static async Task<string> ServersAsync(string script, TimeSpan patience)
    {
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($". '{RepoPaths.ServersScript}' && {script}");
        using var process = Process.Start(start) ?? throw new InvalidOperationException("bash did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(patience);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"`{script}` did not finish within {patience.TotalSeconds:0} s.");
        }

        return process.ExitCode == 0
            ? await output
            : throw new InvalidOperationException($"`{script}` exited {process.ExitCode}: {await output}{await error}");
    }
}
