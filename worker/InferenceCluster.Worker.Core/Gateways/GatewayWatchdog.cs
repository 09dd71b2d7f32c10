using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace InferenceCluster.Worker.Gateways;

/// <summary>
/// Looks for requests of silent gateways several times per liveness period and stops them. Not while the worker
/// stops: its bus then no longer receives heartbeats, and the silence would be its own, not the gateways'.
/// </summary>
internal sealed class GatewayWatchdog(
    GatewayLiveness liveness, IOptions<WorkerOptions> options, IHostApplicationLifetime lifetime, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var period = options.Value.GatewayLiveness / 4;
        using var timer = new PeriodicTimer(period < TimeSpan.FromMilliseconds(500) ? period : TimeSpan.FromMilliseconds(500), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false) && !lifetime.ApplicationStopping.IsCancellationRequested)
            {
                liveness.StopOrphans();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }
}
