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
/// cancelled requests to their end. A probe that could not be sent (the broker is away) proves nothing; it is a warning
/// (at most once a minute per queue), since receiving there goes unchecked meanwhile.
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
    private readonly ProbeSendFailures _notSent = new(time, logger, "Worker:ReceiveProbeTimeout", "this worker");
    private readonly NotReadyWatch _notReady = new(time);
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

    /// <summary>
    /// Probes every ready queue once, at the same time, and one not ready for longer than <see cref="NotReadyWatch.Bound"/>;
    /// true when one was found deaf (and the restart asked for).
    /// </summary>
    internal async Task<bool> CheckOnceAsync(CancellationToken cancellationToken)
    {
        if (_hostStopping || activity.IsDeaf)
        {
            return false;
        }

        var bound = NotReadyWatch.Bound(options.Value.ReceiveCheckInterval);
        var checks = new List<Task<InstanceQueueDeafness?>>();
        foreach (var queue in queues.All)
        {
            if (_notReady.Overdue(queue.Name, State(queue), bound) is { } lasting)
            {
                checks.Add(CheckNotReadyAsync(queue, lasting, bound, cancellationToken));
            }
            else if (queue.IsReady)
            {
                checks.Add(CheckAsync(queue, cancellationToken));
            }
        }

        var found = await Task.WhenAll(checks).ConfigureAwait(false);
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

    private static ProbedEndpointState State(InstanceQueue queue) => new(queue.IsReady, queue.ReadyEpoch, queue.Deliveries);

    /// <summary>Sends one probe to the queue and judges it (<see cref="ReceiveProbes.ProbeAsync"/>).</summary>
    private async Task<ProbeOutcome> ProbeAsync(InstanceQueue queue, CancellationToken stoppingToken)
    {
        var timeout = options.Value.ReceiveProbeTimeout;
        var outcome = await probes.ProbeAsync(
            (probeId, sentAt, cancellationToken) => sender.SendAsync(queue.Address, new ReceiveProbe { ProbeId = probeId, SentAt = sentAt }, cancellationToken),
            () => State(queue),
            timeout,
            time,
            exception => _notSent.Failed(queue.Name, exception, timeout),
            stoppingToken).ConfigureAwait(false);
        if (outcome != ProbeOutcome.NotSent)
        {
            _notSent.Sent(queue.Name);
        }

        return outcome;
    }

    /// <summary>
    /// Probes a queue whose endpoint has been not ready for <paramref name="lasting"/>, longer than MassTransit takes to
    /// restart one: deaf when the broker takes the probe and the endpoint is still not ready once the probe is overdue.
    /// </summary>
    private async Task<InstanceQueueDeafness?> CheckNotReadyAsync(InstanceQueue queue, TimeSpan lasting, TimeSpan bound, CancellationToken stoppingToken)
    {
        var outcome = await ProbeAsync(queue, stoppingToken).ConfigureAwait(false);
        if (outcome == ProbeOutcome.NotReady && !_hostStopping)
        {
            return new InstanceQueueDeafness(queue.Name, string.Create(
                CultureInfo.InvariantCulture,
                $"MassTransit has reported its endpoint not ready for {lasting.TotalSeconds:0} s, longer than the {bound.TotalSeconds:0} s " +
                $"it may take to restart one (six times Worker:ReceiveCheckInterval, at least 60 s), and a probe the broker took for " +
                $"it did not arrive: it is not being restarted"));
        }

        if (outcome is ProbeOutcome.NotSent or ProbeOutcome.Arrived)
        {
            // The broker is away, which explains it; or it receives after all.
            _notReady.Restart(queue.Name);
        }

        return null;
    }

    /// <summary>Probes one queue; the evidence that it is deaf, or null when it received or the round proved nothing.</summary>
    private async Task<InstanceQueueDeafness?> CheckAsync(InstanceQueue queue, CancellationToken stoppingToken)
    {
        var timeout = options.Value.ReceiveProbeTimeout;
        var outcome = await ProbeAsync(queue, stoppingToken).ConfigureAwait(false);
        switch (outcome)
        {
            case ProbeOutcome.Lost when !_hostStopping:
                return new InstanceQueueDeafness(queue.Name, string.Create(
                    CultureInfo.InvariantCulture,
                    $"the broker took a probe sent to it, which did not arrive within {timeout.TotalSeconds:0.###} s, while " +
                    $"MassTransit reported the endpoint ready and it took nothing else"));
            case ProbeOutcome.Slow:
                LogSlow(queue.Name, timeout.TotalSeconds);
                return null;
            case ProbeOutcome.NotReady or ProbeOutcome.CameBack or ProbeOutcome.Lost:
                // MassTransit saw a fault meanwhile (and restarts the endpoint itself), or the endpoint came back while
                // the probe was out (a broker restart deletes a temporary queue with the probe in it), or stopping.
                LogInconclusive(queue.Name);
                return null;
            default:
                // Arrived, or not sent: the sending side has its own trouble, nothing learnt about receiving.
                return null;
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
}
