using System.Globalization;

namespace InferenceCluster.Scaling.Scenarios;

/// <summary>
/// Generated tokens/s with 1, 2, 4, … simulated workers behind one gateway, each worker kept saturated (1.5
/// streams per sequence slot, so its queue never runs dry between requests), against linear scaling from one;
/// the better of two runs per point.
/// </summary>
internal static class WorkerScalingScenario
{
    public static async Task<List<ScalingPoint>> RunAsync(ScalingRun run, Uri gateway)
    {
        var settings = run.Settings;
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"## Worker scaling: simulated H100 workers with {settings.Batch} sequences each, {settings.Tokens}-token streamed requests, one gateway"));
        Console.WriteLine();
        Console.WriteLine("| workers | streams | tokens/s | linear (n x one) | of linear | gateway cores | worker cores | broker cores | client cores | other processes | machine busy |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        var points = new List<ScalingPoint>();
        foreach (var workers in settings.Workers)
        {
            await run.ScaleWorkersAsync(workers, settings.Batch, gateway).ConfigureAwait(false);
            var streams = (int)Math.Ceiling(workers * settings.Batch * 1.5);

            // Workers just started still compile their hot paths and warm their connections: the first run is a
            // warm-up, and of two runs the better one counts (the machine is shared; the lesser run is the disturbed one).
            var (load, cpu) = await run.MeasureAsync([gateway], streams, settings.Tokens, stream: true).ConfigureAwait(false);
            var again = await run.MeasureAsync([gateway], streams, settings.Tokens, stream: true).ConfigureAwait(false);
            if (again.Load.TokensPerSecond > load.TokensPerSecond)
            {
                (load, cpu) = again;
            }

            var point = new ScalingPoint(workers, streams, load, cpu);
            points.Add(point);
            var one = points[0].Load.TokensPerSecond / points[0].Workers;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {workers} | {streams} | {load.TokensPerSecond:0} | {one * workers:0} | {load.TokensPerSecond / (one * workers):0.00} | {cpu.Gateways:0.00} | {cpu.Workers:0.00} | {cpu.Broker:0.00} | {cpu.Client:0.00} | {cpu.Others:0.00} | {cpu.Machine:0.00} / {Environment.ProcessorCount} |"));
            ScalingRun.Errors(load);
        }

        Console.WriteLine();
        Console.WriteLine("Gateway CPU per 1,000 streamed tokens at each point (ms): " + string.Join(", ", points.Select(p =>
            string.Create(CultureInfo.InvariantCulture, $"{p.Workers} workers {p.Cpu.Gateways * p.Cpu.Seconds / p.Load.Tokens * 1e6:0.0}"))));
        Console.WriteLine("Whole machine CPU per 1,000 tokens (ms): " + string.Join(", ", points.Select(p =>
            string.Create(CultureInfo.InvariantCulture, $"{p.Workers} workers {p.Cpu.Machine * p.Cpu.Seconds / p.Load.Tokens * 1e6:0.0}"))));
        var first = points[0].Load.TokensPerSecond / points[0].Workers;
        run.Chart("scaling-workers.svg", SvgChart.Lines(
            "Generated tokens/s vs simulated workers (one gateway, one broker)", "workers", "tokens/s",
            points.Select(p => (double)p.Workers).ToList(),
            [
                ("measured", points.Select(p => p.Load.TokensPerSecond).ToList()),
                ("linear from one", points.Select(p => first * p.Workers).ToList()),
            ]));
        return points;
    }
}
