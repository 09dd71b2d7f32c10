using InferenceCluster.Contracts;
using InferenceCluster.Inference;
using InferenceCluster.Worker.Receiving;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace InferenceCluster.Worker.Heartbeats;

/// <summary>
/// Announces the worker every <see cref="WorkerOptions.HeartbeatInterval"/>: gateways list a model while
/// at least one of its workers is heard from, and count a worker gone after three silent intervals.
/// </summary>
internal sealed partial class HeartbeatService(
    IBus bus,
    IInferenceEngine engine,
    ModelQueueActivity receiving,
    IOptions<WorkerOptions> options,
    TimeProvider time,
    ILogger<HeartbeatService> logger) : BackgroundService
{
    private static readonly TimeSpan MinimumPublishWait = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.HeartbeatInterval, time);
        try
        {
            do
            {
                await PublishAsync(stoppingToken).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the gateways notice the silence.
        }
    }

    /// <summary>What this worker looks like right now.</summary>
    internal WorkerHeartbeat CreateHeartbeat()
    {
        var model = engine.Model;
        return new WorkerHeartbeat
        {
            WorkerId = options.Value.Id!,
            ModelId = model.Id,
            ModelRevision = model.Revision,
            Capacity = model.Capacity,
            InFlight = engine.InFlight,
            ContextLength = model.ContextLength,
            IsReasoningModel = model.IsReasoningModel,
            SentAt = time.GetUtcNow(),
        };
    }

    private async Task PublishAsync(CancellationToken stoppingToken)
    {
        if (receiving.IsDeaf)
        {
            // It takes no request: gateways must stop counting its slots (it is on its way out, see ReceiveWatchdog).
            return;
        }

        try
        {
            // Each beat is bounded: MassTransit retries a publish begun while the broker is away on a back-off growing
            // to 30 s, and one begun as the broker restarts can hang outright; an unbounded beat would keep this worker
            // silent (and gateways counting it gone) long after the broker is back. The floor spares a slow publish on
            // a busy machine when the interval is very short.
            using var bounded = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            bounded.CancelAfter(TimeSpan.FromTicks(Math.Max(options.Value.HeartbeatInterval.Ticks, MinimumPublishWait.Ticks)));
            await bus.Publish(CreateHeartbeat(), bounded.Token).WaitAsync(bounded.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
        {
            // A missed beat is not fatal (the broker may be restarting); the next tick tries again.
            LogHeartbeatFailed(exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not publish the worker heartbeat")]
    private partial void LogHeartbeatFailed(Exception exception);
}
