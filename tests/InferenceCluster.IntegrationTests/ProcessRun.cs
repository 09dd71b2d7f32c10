using System.Diagnostics;

namespace InferenceCluster.IntegrationTests;

/// <summary>What a short-lived process (a script, an executable refused at start) printed and how it ended.</summary>
/// <param name="ExitCode">Its exit code; after a timeout, the code of the kill.</param>
/// <param name="Output">Its standard output.</param>
/// <param name="Error">Its standard error.</param>
/// <param name="TimedOut">Whether it was still running when the patience ran out, and was killed with its children.</param>
internal sealed record ProcessRun(int ExitCode, string Output, string Error, bool TimedOut)
{
    /// <summary>Runs <paramref name="start"/> (its output and error redirected here) for at most <paramref name="patience"/>.</summary>
    public static async Task<ProcessRun> RunAsync(ProcessStartInfo start, TimeSpan patience)
    {
        ArgumentNullException.ThrowIfNull(start);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        var timedOut = false;
        using (var timeout = new CancellationTokenSource(patience))
        {
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                timedOut = true;
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }

        return new ProcessRun(process.ExitCode, await output, await error, timedOut);
    }

    /// <summary>Runs a bash script; fails the test when it does not end within <paramref name="patience"/>.</summary>
    public static async Task<ProcessRun> BashAsync(string script, TimeSpan patience, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo("bash") { WorkingDirectory = workingDirectory ?? string.Empty };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        var run = await RunAsync(start, patience);
        return run.TimedOut ? throw new TimeoutException($"the script did not end within {patience.TotalSeconds:0} s: {script}") : run;
    }
}
