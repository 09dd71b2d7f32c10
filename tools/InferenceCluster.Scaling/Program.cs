using System.Globalization;
using InferenceCluster.Scaling;
using InferenceCluster.Scaling.Scenarios;

// The cluster at scale on one machine: simulated workers (Inference:ExecutionProvider=simulated), real gateways,
// real RabbitMQ. Prints markdown tables for docs/scaling.md and writes its charts next to it.
ScalingSettings settings;
try
{
    settings = ScalingSettings.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}

var logs = Directory.CreateTempSubdirectory("inferencecluster-scaling-").FullName;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{Environment.ProcessorCount} cores; {settings.WarmupSeconds} s warm-up + {settings.Seconds} s measured per point; process logs in {logs}"));
using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
using var http = new HttpClient(handler) { Timeout = TimeSpan.FromMinutes(5) };
await using var processes = new ClusterProcesses(settings, logs);
var run = new ScalingRun(settings, http, processes, new BrokerStats(http, settings.Management));
try
{
    if (settings.Scenarios.Contains("engine"))
    {
        await EngineCostScenario.RunAsync(run);
    }

    if (settings.Scenarios.Contains("scaling") || settings.Scenarios.Contains("gateways"))
    {
        var gateway = processes.StartGateway(embedded: false);
        if (settings.Scenarios.Contains("scaling"))
        {
            await WorkerScalingScenario.RunAsync(run, gateway);
        }

        if (settings.Scenarios.Contains("gateways"))
        {
            await TwoGatewaysScenario.RunAsync(run, gateway);
        }

        await processes.StopGatewaysAsync();
    }

    if (settings.Scenarios.Contains("ceiling"))
    {
        await GatewayCeilingScenario.RunAsync(run);
    }

    if (settings.Scenarios.Contains("messages"))
    {
        await BrokerMessagesScenario.RunAsync(run);
    }

    if (settings.Scenarios.Contains("latency"))
    {
        await processes.StopWorkersAsync();
        await AddedLatencyScenario.RunAsync(run);
    }
}
catch (Exception ex) when (ex is TimeoutException or HttpRequestException)
{
    Console.Error.WriteLine(ex.Message);
    return 1;
}

return 0;
