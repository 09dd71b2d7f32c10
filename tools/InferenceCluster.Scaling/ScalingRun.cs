using System.Globalization;
using InferenceCluster.Contracts;
using InferenceCluster.Inference.Hosting;

namespace InferenceCluster.Scaling;

/// <summary>What every scenario shares: settings, HTTP client, processes, broker statistics and the report.</summary>
internal sealed class ScalingRun(ScalingSettings settings, HttpClient http, ClusterProcesses processes, BrokerStats broker)
{
    public const string Model = TestModel.Id;

    public ScalingSettings Settings => settings;

    public HttpClient Http => http;

    public ClusterProcesses Processes => processes;

    public BrokerStats Broker => broker;

    public LoadGenerator Load { get; } = new(http, Model);

    public static string Queue => ModelQueue.Name(Model);

    /// <summary>The simulated H100 (defaults of Inference:Simulation) with <paramref name="batch"/> sequences per worker.</summary>
    public static Dictionary<string, string> Device(int batch) => new()
    {
        ["Inference__ExecutionProvider"] = "simulated",
        ["Inference__MaxConcurrency"] = batch.ToString(CultureInfo.InvariantCulture),
        ["Inference__Simulation__EndOfSequenceProbability"] = "0",
    };

    public int? BrokerPid => settings.BrokerPidFile is { } file && File.Exists(file)
        && int.TryParse(File.ReadAllText(file).Trim(), CultureInfo.InvariantCulture, out var pid) ? pid : null;

    /// <summary>Makes sure <paramref name="count"/> workers serve the model through the broker and a gateway knows them.</summary>
    public async Task ScaleWorkersAsync(int count, int batch, Uri gateway)
    {
        if (processes.WorkerCount > count)
        {
            await processes.TrimWorkersAsync(count).ConfigureAwait(false);
        }

        processes.StartWorkers(count, Device(batch));
        await broker.WaitForConsumersAsync(Queue, count, TimeSpan.FromSeconds(60 + (10 * count))).ConfigureAwait(false);
        await GatewayProbe.WaitReadyAsync(http, gateway, Model, TimeSpan.FromSeconds(120)).ConfigureAwait(false);
    }

    /// <summary>A closed-loop run with the CPU of every part read at the edges of its measured window.</summary>
    public async Task<(LoadResult Load, CpuUse Cpu)> MeasureAsync(IReadOnlyList<Uri> gateways, int streams, int tokens, bool stream)
    {
        var brokerPid = BrokerPid;
        var run = Load.RunAsync(gateways, streams, tokens, stream, settings.WarmupSeconds, settings.Seconds);
        await Task.Delay(TimeSpan.FromSeconds(settings.WarmupSeconds)).ConfigureAwait(false);
        var from = CpuSnapshot.Take(processes, brokerPid);
        await Task.Delay(TimeSpan.FromSeconds(settings.Seconds)).ConfigureAwait(false);
        var to = CpuSnapshot.Take(processes, brokerPid);
        var load = await run.ConfigureAwait(false);
        return (load, CpuUse.Between(from, to));
    }

    /// <summary>Writes a chart next to the docs and says where it went.</summary>
    public void Chart(string name, string svg)
    {
        Directory.CreateDirectory(settings.Images);
        var path = Path.Combine(settings.Images, name);
        File.WriteAllText(path, svg);
        Console.WriteLine($"chart: {path}");
    }

    public static void Errors(LoadResult load)
    {
        if (load.Errors > 0)
        {
            Console.WriteLine($"  !! {load.Errors} of {load.Samples.Count} requests failed; first: {load.FirstError}");
        }
    }
}
