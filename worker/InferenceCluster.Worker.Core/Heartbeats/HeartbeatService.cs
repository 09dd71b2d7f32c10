using InferenceCluster.Contracts;
using InferenceCluster.Inference;
using InferenceCluster.ServiceDefaults;
using InferenceCluster.Worker.Gateways;
using InferenceCluster.Worker.Receiving;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace InferenceCluster.Worker.Heartbeats;

/// <summary>
/// Announces the worker every <see cref="WorkerOptions.HeartbeatInterval"/>: gateways list a model while
/// at least one of its workers is heard from, and count a worker gone after three silent intervals. An extra beat
/// tells whether the broker takes this worker's publishes (<see cref="IPublishCheck"/>).
/// </summary>
internal sealed partial class HeartbeatService(
    IBus bus,
    IInferenceEngine engine,
    ModelQueueActivity receiving,
    IOptions<WorkerOptions> options,
    TimeProvider time,
    ILogger<HeartbeatService> logger) : BackgroundService, IPublishCheck
{
    private readonly HeartbeatFailures _failures = new(time, logger, "worker heartbeat", () => bus.Address);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.HeartbeatInterval, time);
        try
        {
            do
            {
                await BeatAsync(stoppingToken).ConfigureAwait(false);
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

    /// <summary>Beats now, bounded by a second; true when the broker confirmed it. A worker that is deaf does not beat (true: nothing holds it).</summary>
    public async Task<bool> CanPublishAsync(CancellationToken cancellationToken)
    {
        if (receiving.IsDeaf)
        {
            return true;
        }

        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(HeartbeatFailures.MinimumPublishWait);
        try
        {
            await bus.Publish(CreateHeartbeat(), bounded.Token).WaitAsync(bounded.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            LogCheckBeatFailed(exception.GetType().Name, BrokerAddress.RedactText(exception.Message));
            return false;
        }
    }

    /// <summary>One beat of the loop: publishes the heartbeat unless the worker is deaf; a failure is logged, never thrown.</summary>
    internal Task BeatAsync(CancellationToken stoppingToken) =>
        // A deaf worker takes no request: gateways must stop counting its slots (it is on its way out, see ReceiveWatchdog).
        receiving.IsDeaf
            ? Task.CompletedTask
            : _failures.PublishAsync(token => bus.Publish(CreateHeartbeat(), token), options.Value.HeartbeatInterval, stoppingToken);

    [LoggerMessage(Level = LogLevel.Debug, Message = "A heartbeat sent to check that this worker can publish did not go through ({Error}: {Message})")]
    private partial void LogCheckBeatFailed(string error, string message);
}
