using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using InferenceCluster.Inference;
using InferenceCluster.ServiceDefaults.Telemetry;
using InferenceCluster.Worker.Telemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace InferenceCluster.Worker.Execution;

/// <summary>
/// Running and waiting requests of this worker: running ones hold an engine slot (in its batch or queued
/// inside the engine), waiting ones were taken from the queue and wait for a slot.
/// </summary>
internal sealed class WorkerLoadMetrics(IInferenceEngine engine, RunningRequests running, IOptions<WorkerOptions> options) : IHostedService
{
    private static readonly Meter Meter = new(WorkerTelemetry.SourceName);

    // Every worker of this process (tests host several), read by one instrument each.
    private static readonly ConditionalWeakTable<WorkerLoadMetrics, object?> Workers = [];

    private static readonly ObservableGauge<int> Running = Meter.CreateObservableGauge(
        "inference_cluster.worker.requests.running", () => Observe(worker => worker.RunningNow), "{request}",
        "Requests holding one of this worker's engine slots.");

    private static readonly ObservableGauge<int> Waiting = Meter.CreateObservableGauge(
        "inference_cluster.worker.requests.waiting", () => Observe(worker => worker.WaitingNow), "{request}",
        "Requests this worker took from the queue that wait for an engine slot.");

    private KeyValuePair<string, object?>[] _tags = [];

    private int RunningNow => engine.InFlight;

    private int WaitingNow => Math.Max(0, running.Count - engine.InFlight);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _tags =
        [
            new(TelemetryAttributes.RequestModel, engine.Model.Id),
            new(TelemetryAttributes.WorkerId, options.Value.Id),
        ];
        _ = (Running, Waiting);
        Workers.AddOrUpdate(this, null);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Workers.Remove(this);
        return Task.CompletedTask;
    }

    private static IEnumerable<Measurement<int>> Observe(Func<WorkerLoadMetrics, int> read) =>
        Workers.Select(entry => new Measurement<int>(read(entry.Key), entry.Key._tags)).ToList();
}
