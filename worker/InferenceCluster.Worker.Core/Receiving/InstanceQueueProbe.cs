using System.Globalization;
using InferenceCluster.Contracts;
using InferenceCluster.ServiceDefaults;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace InferenceCluster.Worker.Receiving;

/// <summary>
/// Checks, every <see cref="WorkerOptions.ReceiveCheckInterval"/>, that the worker still receives on its own temporary
/// queues (cancels, gateway heartbeats), as the gateway checks its own: it sends a <see cref="ReceiveProbe"/> to each
/// queue whose endpoint MassTransit reports ready. No depth can tell here, since nobody else reads these queues. Deaf
/// means: the broker took the probe, it did not arrive within <see cref="WorkerOptions.ReceiveProbeTimeout"/>, MassTransit
/// reported the endpoint ready all that time (no restart in between) and the endpoint took nothing else meanwhile. Then,
/// as <see cref="ReceiveWatchdog"/> does, the worker reports itself not live and exits for its supervisor to start it
/// again: a worker deaf to gateway heartbeats would stop every request it runs as orphaned, one deaf to cancels would run
/// cancelled requests to their end. A probe that could not be sent (the broker is away) proves nothing.
/// </summary>
internal sealed partial class InstanceQueueProbe(
    InstanceQueues queues,
    ReceiveProbes probes,
    IProbeSender sender,
    ModelQueueActivity activity,
    IWorkerRestart restart,
    IOptions<WorkerOptions> options,
    TimeProvider time,
    ILogger<InstanceQueueProbe> logger) : BackgroundService, IHostedLifecycleService
{
    private volatile bool _hostStopping;

    /// <summary>Called on every lifecycle service before any is stopped: a stopping worker's endpoints stop on purpose.</summary>
    public Task StoppingAsync(CancellationToken cancellationToken)
    {
        _hostStopping = true;
        return Task.CompletedTask;
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Probes every ready queue once, at the same time; true when one was found deaf (and the restart asked for).</summary>
    internal async Task<bool> CheckOnceAsync(CancellationToken cancellationToken)
    {
        if (_hostStopping || activity.IsDeaf)
        {
            return false;
        }

        var found = await Task.WhenAll(queues.All.Where(queue => queue.IsReady).Select(queue => CheckAsync(queue, cancellationToken)))
            .ConfigureAwait(false);
        if (found.FirstOrDefault(deaf => deaf is not null) is not { } deaf || _hostStopping || activity.IsDeaf)
        {
            return false;
        }

        activity.MarkDeaf($"Not receiving on {deaf.Queue}: {deaf.Evidence}");
        LogDeaf(deaf.Queue, deaf.Evidence, ExitForRestart.ExitCode);
        restart.Request();
        return true;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ReceiveCheckInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                if (await CheckOnceAsync(stoppingToken).ConfigureAwait(false))
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>Probes one queue; the evidence that it is deaf, or null when it received or the round proved nothing.</summary>
    private async Task<InstanceQueueDeafness?> CheckAsync(InstanceQueue queue, CancellationToken stoppingToken)
    {
        var timeout = options.Value.ReceiveProbeTimeout;
        var probe = new ReceiveProbe { ProbeId = Guid.NewGuid(), SentAt = time.GetUtcNow() };
        var arrival = probes.Expect(probe.ProbeId);
        var deliveriesBefore = queue.Deliveries;
        var epochBefore = queue.ReadyEpoch;
        try
        {
            try
            {
                // Bounded on its own: a send slow to be confirmed must not eat the time the probe has to arrive.
                using var sending = new CancellationTokenSource(timeout, time);
                using var sendingOrStopping = CancellationTokenSource.CreateLinkedTokenSource(sending.Token, stoppingToken);
                await sender.SendAsync(queue.Address, probe, sendingOrStopping.Token).ConfigureAwait(false);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                // The sending side has its own trouble (the broker may be restarting): nothing learnt about receiving.
                LogNotSent(exception, queue.Name);
                return null;
            }

            try
            {
                await arrival.WaitAsync(timeout, time, stoppingToken).ConfigureAwait(false);
                return null;
            }
            catch (TimeoutException)
            {
                // Not back in time.
            }

            if (_hostStopping || !queue.IsReady || queue.ReadyEpoch != epochBefore)
            {
                // Stopping, or MassTransit saw a fault meanwhile (and restarts the endpoint itself), or the endpoint came
                // back while the probe was out (a broker restart deletes a temporary queue with the probe in it).
                LogInconclusive(queue.Name);
                return null;
            }

            if (queue.Deliveries > deliveriesBefore)
            {
                // It takes messages, only not yet this one: slow, not deaf.
                LogSlow(queue.Name, timeout.TotalSeconds);
                return null;
            }

            return new InstanceQueueDeafness(queue.Name, string.Create(
                CultureInfo.InvariantCulture,
                $"the broker took a probe sent to it, which did not arrive within {timeout.TotalSeconds:0.###} s, while " +
                $"MassTransit reported the endpoint ready and it took nothing else"));
        }
        finally
        {
            probes.Forget(probe.ProbeId);
        }
    }

    [LoggerMessage(Level = LogLevel.Error,
        Message = "Not receiving on {Queue}: {Evidence}. The broker no longer delivers to this worker; it stops and exits with code {ExitCode} so that its supervisor starts it again (Worker:ReceiveProbeTimeout)")]
    private partial void LogDeaf(string queue, string evidence, int exitCode);

    [LoggerMessage(Level = LogLevel.Information, Message =
        "The probe for {Queue} was not back within {Seconds:0.###} s, but the endpoint took other messages meanwhile: it receives, behind a backlog")]
    private partial void LogSlow(string queue, double seconds);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Queue} was not ready, or went down and came back, while its probe was out; it is probed again")]
    private partial void LogInconclusive(string queue);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not send a probe to {Queue}; it is probed again later")]
    private partial void LogNotSent(Exception exception, string queue);
}
