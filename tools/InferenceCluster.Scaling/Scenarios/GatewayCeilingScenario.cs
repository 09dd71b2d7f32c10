using System.Globalization;

namespace InferenceCluster.Scaling.Scenarios;

/// <summary>
/// One gateway against more simulated GPU capacity than it can use: 1-token requests/s, streamed tokens/s, and
/// the gateway's CPU per request and per 1,000 tokens, the figures that carry over to other machines.
/// </summary>
internal static class GatewayCeilingScenario
{
    private const int Workers = 4;
    private const int Batch = 64;

    public static async Task RunAsync(ScalingRun run)
    {
        var settings = run.Settings;
        await run.Processes.StopWorkersAsync().ConfigureAwait(false);
        var gateway = run.Processes.StartGateway(embedded: false);
        await run.ScaleWorkersAsync(Workers, Batch, gateway).ConfigureAwait(false);

        var (small, smallCpu) = await run.MeasureAsync([gateway], 64, 1, stream: false).ConfigureAwait(false);
        ScalingRun.Errors(small);
        var (streamed, streamedCpu) = await run.MeasureAsync([gateway], 128, settings.Tokens, stream: true).ConfigureAwait(false);
        ScalingRun.Errors(streamed);

        Console.WriteLine();
        Console.WriteLine($"## One gateway's ceiling: {Workers} simulated workers x {Batch} sequences (more than the gateway can feed)");
        Console.WriteLine();
        Console.WriteLine("| load | requests/s | tokens/s | gateway cores | gateway CPU ms per request | gateway CPU ms per 1,000 tokens | broker cores | worker cores | client cores | other processes | machine busy | p50 ms | p99 ms |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        var gatewaySeconds = smallCpu.Gateways * smallCpu.Seconds;
        var completed = small.RequestsPerSecond * small.Seconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| 64 streams of 1-token requests (whole answers; latency) | {small.RequestsPerSecond:0} | {small.TokensPerSecond:0} | {smallCpu.Gateways:0.00} | {gatewaySeconds * 1000 / completed:0.00} | {gatewaySeconds * 1e6 / small.Tokens:0.0} | {smallCpu.Broker:0.00} | {smallCpu.Workers:0.00} | {smallCpu.Client:0.00} | {smallCpu.Others:0.00} | {smallCpu.Machine:0.00} / {Environment.ProcessorCount} | {small.Percentile(s => s.LatencyMs, 50):0.0} | {small.Percentile(s => s.LatencyMs, 99):0.0} |"));

        // Streams outlive the window, so per-request figures do not apply; time to first token is what a client feels.
        gatewaySeconds = streamedCpu.Gateways * streamedCpu.Seconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| 128 streams of {settings.Tokens}-token streamed requests (first token) | - | {streamed.TokensPerSecond:0} | {streamedCpu.Gateways:0.00} | - | {gatewaySeconds * 1e6 / streamed.Tokens:0.0} | {streamedCpu.Broker:0.00} | {streamedCpu.Workers:0.00} | {streamedCpu.Client:0.00} | {streamedCpu.Others:0.00} | {streamedCpu.Machine:0.00} / {Environment.ProcessorCount} | {streamed.Percentile(s => s.FirstTokenMs, 50, whole: false):0.0} | {streamed.Percentile(s => s.FirstTokenMs, 99, whole: false):0.0} |"));

        await run.Processes.StopGatewaysAsync().ConfigureAwait(false);
        await run.Processes.StopWorkersAsync().ConfigureAwait(false);
    }
}
