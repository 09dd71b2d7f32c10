using InferenceCluster.Contracts;
using InferenceCluster.Gateway.Configuration;
using InferenceCluster.Gateway.Streaming;
using InferenceCluster.ServiceDefaults;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace InferenceCluster.Gateway.Liveness;

/// <summary>
/// Tells the workers every <see cref="GatewayOptions.HeartbeatInterval"/> that this gateway still reads its
/// reply queue. A gateway that dies stops beating, and the workers stop its requests instead of generating
/// answers nobody will read. It beats until the bus stops, so through a drain as well.
/// </summary>
internal sealed class GatewayHeartbeatService(
    IBus bus,
    ReplyEndpoint replyEndpoint,
    IOptions<GatewayOptions> options,
    TimeProvider time,
    ILogger<GatewayHeartbeatService> logger) : BackgroundService
{
    private readonly HeartbeatFailures _failures = new(time, logger, "gateway heartbeat", () => bus.Address);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.HeartbeatInterval;
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            do
            {
                if (replyEndpoint.Address is { } address)
                {
                    await BeatAsync(address, interval, stoppingToken).ConfigureAwait(false);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the workers notice the silence once the gateway's requests are over.
        }
    }

    /// <summary>One beat of the loop: a failure is logged, never thrown.</summary>
    internal Task BeatAsync(Uri address, TimeSpan interval, CancellationToken stoppingToken) => _failures.PublishAsync(
        token => bus.Publish(new GatewayHeartbeat { ReplyAddress = address, Interval = interval, SentAt = time.GetUtcNow() }, token),
        interval,
        stoppingToken);
}
