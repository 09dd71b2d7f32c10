using System.Globalization;
using InferenceCluster.Inference.Hosting;

namespace InferenceCluster.Scaling.Scenarios;

/// <summary>
/// What the gateway and the broker add to a request: the same simulated engine called in-process, behind the
/// gateway with its embedded worker (HTTP, no broker), and behind the gateway with one worker process over
/// RabbitMQ. 1-token requests (whole answer) and the first token of streamed ones, at p50 and p99. The two
/// gateway paths run side by side and take turns, so the ratio between them holds on a machine whose load varies.
/// </summary>
internal static class AddedLatencyScenario
{
    private const int Batch = 64;
    private const int StreamedTokens = 16;

    /// <summary>Slices each path's requests are taken in, alternating with the other path.</summary>
    private const int Turns = 10;

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

        // Both paths stay up and take turns, a slice of the requests at a time, so that whatever else the machine
        // does at the moment weighs on both alike: their ratio is what the run is for.
        var embedded = run.Processes.StartGateway(embedded: true, ScalingRun.Device(Batch));
        var gateway = run.Processes.StartGateway(embedded: false);
        await GatewayProbe.WaitReadyAsync(run.Http, embedded, ScalingRun.Model, TimeSpan.FromSeconds(120)).ConfigureAwait(false);
        await run.ScaleWorkersAsync(1, Batch, gateway).ConfigureAwait(false);
        (string Name, Uri Gateway)[] paths = [("gateway, embedded worker", embedded), ("gateway + RabbitMQ + worker", gateway)];
        foreach (var streams in concurrency)
        {
            rows.AddRange(await MeasureInTurnsAsync(run, paths, streams).ConfigureAwait(false));
        }

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

        Console.WriteLine();
        foreach (var streams in concurrency)
        {
            var cells = rows.Where(r => r.Streams == streams).ToList();
            var (embeddedOne, embeddedStreamed) = (cells[1].One, cells[1].Streamed);
            var (brokerOne, brokerStreamed) = (cells[2].One, cells[2].Streamed);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"RabbitMQ path / embedded path at p50, {streams} concurrent: 1-token {brokerOne.Percentile(s => s.LatencyMs, 50) / embeddedOne.Percentile(s => s.LatencyMs, 50):0.00}x, first token {brokerStreamed.Percentile(s => s.FirstTokenMs, 50) / embeddedStreamed.Percentile(s => s.FirstTokenMs, 50):0.00}x"));
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

    private static async Task<List<(string, int, LoadResult, LoadResult)>> MeasureInTurnsAsync(
        ScalingRun run, (string Name, Uri Gateway)[] paths, int streams)
    {
        var slice = Math.Max(1, run.Settings.LatencyRequests / Turns);
        var one = paths.Select(_ => new List<LoadResult>()).ToArray();
        var streamed = paths.Select(_ => new List<LoadResult>()).ToArray();
        foreach (var (_, gateway) in paths)
        {
            await run.Load.RunCountAsync(gateway, streams, 100, 1, stream: false).ConfigureAwait(false);
        }

        for (var turn = 0; turn < Turns; turn++)
        {
            // Which path goes first alternates too, so neither always follows the other's burst.
            foreach (var i in turn % 2 == 0 ? Enumerable.Range(0, paths.Length) : Enumerable.Range(0, paths.Length).Reverse())
            {
                one[i].Add(await run.Load.RunCountAsync(paths[i].Gateway, streams, slice, 1, stream: false).ConfigureAwait(false));
                streamed[i].Add(await run.Load.RunCountAsync(paths[i].Gateway, streams, slice, StreamedTokens, stream: true).ConfigureAwait(false));
            }
        }

        return [.. paths.Select((path, i) => (path.Name, streams, LoadResult.Merge(one[i]), LoadResult.Merge(streamed[i])))];
    }
}
