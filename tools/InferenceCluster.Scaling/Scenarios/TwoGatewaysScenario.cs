using System.Globalization;

namespace InferenceCluster.Scaling.Scenarios;

/// <summary>The same saturating load at a fixed worker count, through one gateway and then split over two on one broker.</summary>
internal static class TwoGatewaysScenario
{
    public static async Task RunAsync(ScalingRun run, Uri first)
    {
        var settings = run.Settings;
        var workers = settings.Workers.Where(w => w <= 8).DefaultIfEmpty(settings.Workers[0]).Max();
        await run.ScaleWorkersAsync(workers, settings.Batch, first).ConfigureAwait(false);
        var streams = (int)Math.Ceiling(workers * settings.Batch * 1.5);
        var (one, oneCpu) = await run.MeasureAsync([first], streams, settings.Tokens, stream: true).ConfigureAwait(false);
        ScalingRun.Errors(one);
        var second = run.Processes.StartGateway(embedded: false);
        await GatewayProbe.WaitReadyAsync(run.Http, second, ScalingRun.Model, TimeSpan.FromSeconds(120)).ConfigureAwait(false);
        var (two, twoCpu) = await run.MeasureAsync([first, second], streams, settings.Tokens, stream: true).ConfigureAwait(false);
        ScalingRun.Errors(two);

        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"## Two gateways on one broker: {workers} workers, {streams} streams of {settings.Tokens} tokens"));
        Console.WriteLine();
        Console.WriteLine("| gateways | tokens/s | gateway cores (all) | worker cores | broker cores | other processes | machine busy | TTFT p50 ms | TTFT p99 ms |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (count, load, cpu) in new[] { (1, one, oneCpu), (2, two, twoCpu) })
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {count} | {load.TokensPerSecond:0} | {cpu.Gateways:0.00} | {cpu.Workers:0.00} | {cpu.Broker:0.00} | {cpu.Others:0.00} | {cpu.Machine:0.00} / {Environment.ProcessorCount} | {load.Percentile(s => s.FirstTokenMs, 50, whole: false):0.0} | {load.Percentile(s => s.FirstTokenMs, 99, whole: false):0.0} |"));
        }

        await run.Processes.StopGatewaysAsync().ConfigureAwait(false);
    }
}
