using System.Diagnostics;
using System.Globalization;
using InferenceCluster.Inference.Hosting;

namespace InferenceCluster.Scaling.Scenarios;

/// <summary>
/// What one simulated device costs the CPU by itself, driven in this process with no worker around it: the
/// share of the machine that simulation takes away from the parts under test.
/// </summary>
internal static class EngineCostScenario
{
    public static async Task RunAsync(ScalingRun run)
    {
        var settings = run.Settings;
        Console.WriteLine();
        Console.WriteLine($"## The simulated device alone (in-process, {settings.Tokens}-token requests, 1.5 streams per sequence slot)");
        Console.WriteLine();
        Console.WriteLine("| sequences per device | tokens/s | modelled tokens/s | CPU µs per token | cores |");
        Console.WriteLine("|---:|---:|---:|---:|---:|");
        foreach (var batch in new[] { settings.Batch, 64 })
        {
            var options = new InferenceOptions { ExecutionProvider = "simulated", MaxConcurrency = batch };
            options.Simulation.EndOfSequenceProbability = 0;
            await using var engine = await InferenceEngineFactory.LoadAsync(options).ConfigureAwait(false);
            var streams = (int)Math.Ceiling(batch * 1.5);
            var requests = Math.Max(streams, (int)(settings.Seconds * batch * 1000 / (2.5 + (0.02 * batch)) / settings.Tokens));
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var load = await DirectEngineLoad.RunAsync(engine, streams, requests, settings.Tokens).ConfigureAwait(false);
            var used = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
            var tokens = load.Succeeded.Sum(s => (double)s.Tokens);
            var modelled = batch * 1000 / (options.Simulation.DecodeBaseMilliseconds + (options.Simulation.DecodePerSequenceMilliseconds * batch));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {batch} | {tokens / load.Seconds:0} | {modelled:0} | {used * 1e6 / tokens:0.0} | {used / load.Seconds:0.00} |"));
        }
    }
}
