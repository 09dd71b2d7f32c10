using System.Globalization;

namespace InferenceCluster.Scaling.Scenarios;

/// <summary>
/// RabbitMQ messages published per generated token at 10, 100 and 1,000 concurrent streams, counted by the
/// broker itself (management API), with the token rate each stream actually got: the worker sends at most one
/// delta per 20 ms per stream, so a stream costs at most ~50 messages a second at any token rate, and slower
/// streams cost more messages per token.
/// </summary>
internal static class BrokerMessagesScenario
{
    private const int Workers = 4;
    private const int Batch = 256;

    public static async Task RunAsync(ScalingRun run)
    {
        var settings = run.Settings;
        await run.Processes.StopWorkersAsync().ConfigureAwait(false);
        var gateway = run.Processes.StartGateway(embedded: false);
        await run.ScaleWorkersAsync(Workers, Batch, gateway).ConfigureAwait(false);

        Console.WriteLine();
        Console.WriteLine($"## RabbitMQ messages per generated token: {Workers} simulated workers x {Batch} sequences, {settings.Tokens}-token streamed requests");
        Console.WriteLine();
        Console.WriteLine("| streams | tokens/s | tokens/s per stream | messages published | tokens | messages per token | gateway cores | broker cores | other processes | machine busy |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        var perToken = new List<double>();
        foreach (var streams in settings.Streams)
        {
            var before = await run.Broker.SettledPublishedAsync().ConfigureAwait(false);
            var (load, cpu) = await run.MeasureAsync([gateway], streams, settings.Tokens, stream: true).ConfigureAwait(false);
            var after = await run.Broker.SettledPublishedAsync().ConfigureAwait(false);
            ScalingRun.Errors(load);

            // Every request of the run, warm-up and drain included, against every message of the same span.
            var tokens = load.Succeeded.Sum(s => (long)s.Tokens);
            var messages = after - before;
            perToken.Add(messages / (double)tokens);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {streams} | {load.TokensPerSecond:0} | {load.TokensPerSecond / streams:0.0} | {messages} | {tokens} | {messages / (double)tokens:0.000} | {cpu.Gateways:0.00} | {cpu.Broker:0.00} | {cpu.Others:0.00} | {cpu.Machine:0.00} / {Environment.ProcessorCount} |"));
        }

        run.Chart("scaling-messages.svg", SvgChart.Bars("RabbitMQ messages per generated token", "messages / token",
            settings.Streams.Select(s => $"{s} streams").ToList(), [("measured", perToken)]));
        await run.Processes.StopGatewaysAsync().ConfigureAwait(false);
        await run.Processes.StopWorkersAsync().ConfigureAwait(false);
    }
}
