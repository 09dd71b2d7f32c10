using System.Globalization;
using InferenceCluster.Sweep.Client;
using InferenceCluster.Sweep.Grading;
using InferenceCluster.Sweep.Running;
using InferenceCluster.Sweep.Suites;

namespace InferenceCluster.Sweep.Cli;

/// <summary>The command: parse, run, print the recommended band. Exit codes: 0 done, 1 failed, 2 bad usage, 130 cancelled.</summary>
internal static class SweepCli
{
    public static async Task<int> RunAsync(string[] args)
    {
        SweepOptions? options;
        try
        {
            options = SweepCommandLine.Parse(args);
        }
        catch (UsageException e)
        {
            await Console.Error.WriteLineAsync($"sweep: {e.Message}").ConfigureAwait(false);
            return 2;
        }

        if (options is null)
        {
            Console.WriteLine(SweepCommandLine.Help);
            return 0;
        }

        using var cts = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cts.Cancel();
        };

        try
        {
            var result = await SweepRunner.RunAsync(options, new ConsoleProgress(), cts.Token).ConfigureAwait(false);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{result.Summaries.Count} grid points; {result.Sent} requests sent, {result.Resumed} answers resumed."));
            Console.WriteLine(result.Band.Describe(options.Margin));
            foreach (var s in result.Band.Points)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {s.Point}  {result.Band.Basis}={result.Band.ScoreOf(s) * 100:0}% stop={s.StopRate * 100:0}% tokens={s.MeanTokens:0}"));
            }

            Console.WriteLine($"Report: {result.ReportPath}");
            return 0;
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync($"\nsweep: cancelled; re-run with the same --out to resume").ConfigureAwait(false);
            return 130;
        }
        catch (Exception e) when (e is SweepServerException or SuiteFormatException or InvalidDataException or IOException or System.ComponentModel.Win32Exception)
        {
            await Console.Error.WriteLineAsync($"\nsweep: {e.Message}").ConfigureAwait(false);
            return 1;
        }
    }
}
