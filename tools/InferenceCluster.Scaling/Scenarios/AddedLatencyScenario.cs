using System.Globalization;
using InferenceCluster.Inference.Hosting;

namespace InferenceCluster.Scaling.Scenarios;

/// <summary>
/// What the gateway and the broker add to a request: the same simulated engine called in-process, behind the
/// gateway with its embedded worker (HTTP, no broker), and behind the gateway with one worker process over
/// RabbitMQ. 1-token requests (whole answer) and the first token of streamed ones, at p50 and p99.
/// </summary>
internal static class AddedLatencyScenario
{
    private const int Batch = 64;
    private const int StreamedTokens = 16;

    public static async Task RunAsync(ScalingRun run)
    {
        var settings = run.Settings;
        var rows = new List<(string Path, int Streams, LoadResult One, LoadResult Streamed)>();
        var concurrency = new[] { 1, 16 };

        var options = new InferenceOptions { ExecutionProvider = "simulated", MaxConcurrency = Batch };
        options.Simulation.EndOfSequenceProbability = 0;
        await using (var engine = await InferenceEngineFactory.LoadAsync(options).ConfigureAwait(false))
        {
            foreach (var streams in concurrency)
            {
                await DirectEngineLoad.RunAsync(engine, streams, 100, 1).ConfigureAwait(false);
                rows.Add(("engine in-process", streams,
                    await DirectEngineLoad.RunAsync(engine, streams, settings.LatencyRequests, 1).ConfigureAwait(false),
                    await DirectEngineLoad.RunAsync(engine, streams, settings.LatencyRequests, StreamedTokens).ConfigureAwait(false)));
            }
        }

        var embedded = run.Processes.StartGateway(embedded: true, ScalingRun.Device(Batch));
        await GatewayProbe.WaitReadyAsync(run.Http, embedded, ScalingRun.Model, TimeSpan.FromSeconds(120)).ConfigureAwait(false);
        await MeasurePathAsync(run, "gateway, embedded worker", embedded, concurrency, rows).ConfigureAwait(false);
        await run.Processes.StopGatewaysAsync().ConfigureAwait(false);

        var gateway = run.Processes.StartGateway(embedded: false);
        await run.ScaleWorkersAsync(1, Batch, gateway).ConfigureAwait(false);
        await MeasurePathAsync(run, "gateway + RabbitMQ + worker", gateway, concurrency, rows).ConfigureAwait(false);
        await run.Processes.StopGatewaysAsync().ConfigureAwait(false);
        await run.Processes.StopWorkersAsync().ConfigureAwait(false);

        Console.WriteLine();
        Console.WriteLine($"## Latency added by the gateway and the broker ({settings.LatencyRequests} requests per cell, simulated H100 step of 2.5 ms included in every path)");
        Console.WriteLine();
        Console.WriteLine($"| path | concurrent | 1-token p50 ms | 1-token p99 ms | first of {StreamedTokens} streamed p50 ms | p99 ms | errors |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var (path, streams, one, streamed) in rows.OrderBy(r => r.Streams))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {path} | {streams} | {one.Percentile(s => s.LatencyMs, 50):0.00} | {one.Percentile(s => s.LatencyMs, 99):0.00} | {streamed.Percentile(s => s.FirstTokenMs, 50):0.00} | {streamed.Percentile(s => s.FirstTokenMs, 99):0.00} | {one.Errors + streamed.Errors} |"));
        }

        var single = rows.Where(r => r.Streams == 1).ToList();
        run.Chart("scaling-latency.svg", SvgChart.Bars("Latency by path, one request at a time (ms)", "ms",
            ["1-token p50", "1-token p99", "first token p50", "first token p99"],
            single.Select(r => (r.Path, (IReadOnlyList<double>)
            [
                r.One.Percentile(s => s.LatencyMs, 50), r.One.Percentile(s => s.LatencyMs, 99),
                r.Streamed.Percentile(s => s.FirstTokenMs, 50), r.Streamed.Percentile(s => s.FirstTokenMs, 99),
            ])).ToList()));
    }

    private static async Task MeasurePathAsync(ScalingRun run, string path, Uri gateway, int[] concurrency,
        List<(string, int, LoadResult, LoadResult)> rows)
    {
        foreach (var streams in concurrency)
        {
            await run.Load.RunCountAsync(gateway, streams, 100, 1, stream: false).ConfigureAwait(false);
            rows.Add((path, streams,
                await run.Load.RunCountAsync(gateway, streams, run.Settings.LatencyRequests, 1, stream: false).ConfigureAwait(false),
                await run.Load.RunCountAsync(gateway, streams, run.Settings.LatencyRequests, StreamedTokens, stream: true).ConfigureAwait(false)));
        }
    }
}
