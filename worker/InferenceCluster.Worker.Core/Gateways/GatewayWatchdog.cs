using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace InferenceCluster.Worker.Gateways;

/// <summary>
/// Looks for requests of silent gateways several times per liveness period and stops them, once it has seen that the
/// worker's own publishes go through (<see cref="GatewayLiveness.StopOrphansAsync"/>). Not once the host
/// starts stopping: the worker's bus then no longer receives heartbeats, and the silence would be its own,
/// not the gateways'.
/// </summary>
internal sealed class GatewayWatchdog(GatewayLiveness liveness, IPublishCheck publishing, IOptions<WorkerOptions> options, TimeProvider time)
    : BackgroundService, IHostedLifecycleService
{
    private volatile bool _hostStopping;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var period = options.Value.GatewayLiveness / 4;
        using var timer = new PeriodicTimer(period < TimeSpan.FromMilliseconds(500) ? period : TimeSpan.FromMilliseconds(500), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false) && !_hostStopping)
            {
                await liveness.StopOrphansAsync(publishing, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>Called on every lifecycle service before any is stopped, so before the bus stops.</summary>
    public Task StoppingAsync(CancellationToken cancellationToken)
    {
        _hostStopping = true;
        return Task.CompletedTask;
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
