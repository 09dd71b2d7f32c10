using System.Diagnostics;
using System.Globalization;

namespace InferenceCluster.Scaling;

/// <summary>CPU used so far by each part of the run, and by the whole machine, at one moment.</summary>
internal sealed record CpuSnapshot(long At, TimeSpan Gateways, TimeSpan Workers, TimeSpan Broker, TimeSpan Client, TimeSpan Machine)
{
    public static CpuSnapshot Take(ClusterProcesses processes, int? brokerPid) => new(
        Stopwatch.GetTimestamp(),
        ProcessCpu.Of(processes.GatewayPids),
        ProcessCpu.Of(processes.WorkerPids),
        brokerPid is { } pid ? ProcessCpu.Of(pid) : TimeSpan.Zero,
        Process.GetCurrentProcess().TotalProcessorTime,
        MachineBusy());

    /// <summary>Busy time of all cores together (everything but idle and iowait), from /proc/stat.</summary>
    private static TimeSpan MachineBusy()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..]
            .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        var busy = fields.Sum() - fields[3] - fields[4];
        return TimeSpan.FromSeconds(busy / 100.0);
    }
}

/// <summary>CPU of each part between two snapshots, in cores (1.0 = one core busy all the time).</summary>
internal sealed record CpuUse(double Seconds, double Gateways, double Workers, double Broker, double Client, double Machine)
{
    public static CpuUse Between(CpuSnapshot from, CpuSnapshot to)
    {
        var seconds = (to.At - from.At) / (double)Stopwatch.Frequency;
        return new CpuUse(seconds,
            (to.Gateways - from.Gateways).TotalSeconds / seconds,
            (to.Workers - from.Workers).TotalSeconds / seconds,
            (to.Broker - from.Broker).TotalSeconds / seconds,
            (to.Client - from.Client).TotalSeconds / seconds,
            (to.Machine - from.Machine).TotalSeconds / seconds);
    }

    /// <summary>What the rest of the machine used meanwhile: the benchmark shares the machine with whatever else runs.</summary>
    public double Others => Math.Max(0, Machine - Gateways - Workers - Broker - Client);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"gateway {Gateways:0.00}, workers {Workers:0.00}, broker {Broker:0.00}, client {Client:0.00}, machine {Machine:0.00} of {Environment.ProcessorCount} cores");
}
