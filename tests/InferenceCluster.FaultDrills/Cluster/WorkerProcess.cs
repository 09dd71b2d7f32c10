using System.Collections.Concurrent;
using System.Diagnostics;

namespace InferenceCluster.FaultDrills.Cluster;

/// <summary>A worker as it runs in production: the worker executable in a process of its own, with the bundled test model.</summary>
internal sealed class WorkerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private WorkerProcess(string id, Process process)
    {
        Id = id;
        _process = process;
        _process.OutputDataReceived += (_, line) => Keep(line.Data);
        _process.ErrorDataReceived += (_, line) => Keep(line.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Id { get; }

    /// <summary>The last lines the worker wrote, for a failure message.</summary>
    public string Tail => string.Join(Environment.NewLine, _output);

    public static WorkerProcess Start(Uri broker, string id, int concurrency)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(RepoPaths.WorkerDll)!,
        };
        start.ArgumentList.Add(RepoPaths.WorkerDll);
        start.Environment["ConnectionStrings__rabbitmq"] = broker.ToString();
        start.Environment["Worker__Id"] = id;
        start.Environment["Worker__HeartbeatInterval"] = "00:00:01";

        // Several worker processes share the machine: each metrics listener takes a free port.
        start.Environment["Worker__MetricsPort"] = "0";
        start.Environment["Inference__MaxConcurrency"] = concurrency.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = string.Empty;
        return new WorkerProcess(id, Process.Start(start) ?? throw new InvalidOperationException($"Worker {id} did not start."));
    }

    public bool HasExited => _process.HasExited;

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        if (Environment.GetEnvironmentVariable("DRILL_LOGS") == "1")
        {
            Console.WriteLine($"[{Id}] {line}");
        }

        while (_output.Count > 200)
        {
            _output.TryDequeue(out _);
        }
    }
}
