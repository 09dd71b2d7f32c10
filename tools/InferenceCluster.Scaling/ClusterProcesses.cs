using System.Diagnostics;
using System.Globalization;

namespace InferenceCluster.Scaling;

/// <summary>
/// The gateway and worker processes of a run, started from their built output with settings in the environment
/// (as deploy/local/cluster.sh does), logs in a folder of their own, stopped by pid: TERM, then KILL.
/// </summary>
internal sealed class ClusterProcesses(ScalingSettings settings, string logs) : IAsyncDisposable
{
    private readonly List<Process> _workers = [];
    private readonly List<Process> _gateways = [];

    public IReadOnlyList<int> WorkerPids => _workers.Select(p => p.Id).ToList();

    public IReadOnlyList<int> GatewayPids => _gateways.Select(p => p.Id).ToList();

    public int WorkerCount => _workers.Count;

    /// <summary>Adds workers up to <paramref name="count"/>, all with the same simulated device.</summary>
    public void StartWorkers(int count, IReadOnlyDictionary<string, string> inference)
    {
        while (_workers.Count < count)
        {
            var id = _workers.Count + 1;
            var environment = new Dictionary<string, string>(inference)
            {
                ["ConnectionStrings__rabbitmq"] = settings.RabbitMq.ToString(),
                ["Worker__Id"] = $"scaling-worker-{id}",

                // Many workers share this machine: each serves its metrics on a free port, not all on the default.
                ["Worker__MetricsPort"] = "0",
            };
            _workers.Add(Start(settings.WorkerDll, $"worker-{id}", environment));
        }
    }

    /// <summary>A gateway on its own port; embedded = with the worker in its process and no broker.</summary>
    public Uri StartGateway(bool embedded, IReadOnlyDictionary<string, string>? inference = null)
    {
        var url = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{settings.GatewayPort + _gateways.Count}/"));
        var environment = new Dictionary<string, string>(inference ?? new Dictionary<string, string>())
        {
            ["ASPNETCORE_URLS"] = url.ToString().TrimEnd('/'),

            // The client's own streams are the only limit under test; the default 256 would refuse the 1,000-stream point.
            ["Gateway__MaxQueuedPerModel"] = "0",
        };
        if (!embedded)
        {
            environment["ConnectionStrings__rabbitmq"] = settings.RabbitMq.ToString();
        }

        _gateways.Add(Start(settings.GatewayDll, $"gateway-{_gateways.Count + 1}{(embedded ? "-embedded" : "")}", environment));
        return url;
    }

    /// <summary>Stops the most recently started workers until <paramref name="count"/> are left.</summary>
    public async Task TrimWorkersAsync(int count)
    {
        var extra = _workers.Skip(count).ToList();
        await StopAsync(extra).ConfigureAwait(false);
        _workers.RemoveRange(count, extra.Count);
    }

    public async Task StopWorkersAsync()
    {
        await StopAsync(_workers).ConfigureAwait(false);
        _workers.Clear();
    }

    public async Task StopGatewaysAsync()
    {
        await StopAsync(_gateways).ConfigureAwait(false);
        _gateways.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        await StopGatewaysAsync().ConfigureAwait(false);
        await StopWorkersAsync().ConfigureAwait(false);
    }

    private Process Start(string dll, string name, Dictionary<string, string> environment)
    {
        var info = new ProcessStartInfo("dotnet", [Path.GetFileName(dll)])
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";

        // Per-request information logs would cost more CPU than some of what is measured.
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {dll}.");
        var log = new StreamWriter(Path.Combine(logs, name + ".log")) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.Exited += (_, _) => log.Dispose();
        process.EnableRaisingEvents = true;
        return process;
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        try
        {
            log.WriteLine(line);
        }
        catch (ObjectDisposedException)
        {
            // The process ended; its last lines raced the close.
        }
    }

    private static async Task StopAsync(List<Process> processes)
    {
        foreach (var process in processes.Where(p => !p.HasExited))
        {
            using var term = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]);
            await term.WaitForExitAsync().ConfigureAwait(false);
        }

        foreach (var process in processes)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill();
            }

            process.Dispose();
        }
    }
}
