using InferenceCluster.Contracts;
using InferenceCluster.Gateway.Configuration;
using InferenceCluster.Gateway.Telemetry;
using InferenceCluster.ServiceDefaults;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace InferenceCluster.Gateway.Workers;

/// <summary>
/// Reads, every <see cref="GatewayOptions.QueueDepthInterval"/>, how many messages wait in the queue of each model
/// the gateway knows, from the broker itself (<see cref="QueueDepthReader"/>: a passive queue declare over a connection
/// of its own, so that a slow read never holds up the bus), and reports it as <c>inference_cluster.queue.depth</c>. A
/// failed read is logged once per outage and reported as no value, never as a stale one; requests are not affected.
/// </summary>
internal sealed partial class QueueDepthMonitor : BackgroundService
{
    private static readonly TimeSpan LongestRead = TimeSpan.FromSeconds(5);

    private readonly QueueDepthReader _reader;
    private readonly string _broker;
    private readonly WorkerRegistry _workers;
    private readonly TimeProvider _time;
    private readonly ILogger<QueueDepthMonitor> _logger;
    private readonly TimeSpan _interval;
    private Dictionary<string, long> _depths = new(StringComparer.Ordinal);
    private bool _failing;

    public QueueDepthMonitor(Uri broker, WorkerRegistry workers, IOptions<GatewayOptions> options, TimeProvider time, ILogger<QueueDepthMonitor> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _broker = BrokerAddress.Redact(broker);
        _workers = workers;
        _time = time;
        _logger = logger;
        _interval = options.Value.QueueDepthInterval;
        _reader = new QueueDepthReader(
            broker, _interval < LongestRead ? _interval : LongestRead, options.Value.BrokerHeartbeat, "inference-cluster-gateway-queue-depth");
        GatewayMetrics.TrackQueueDepth(this, () => Volatile.Read(ref _depths));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_interval, _time);
        do
        {
            await ReadAllAsync(stoppingToken).ConfigureAwait(false);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);

        // A read still running when the host's stop time ran out ends within the read's own bound; only then can its
        // connection go.
        if (ExecuteTask is { } running)
        {
            await running.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        await _reader.DisposeAsync().ConfigureAwait(false);
    }

    private async Task ReadAllAsync(CancellationToken stoppingToken)
    {
        var models = _workers.KnownModels();
        if (models.Count == 0)
        {
            return;
        }

        try
        {
            var depths = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var model in models)
            {
                // A queue nothing was ever sent to, and no worker declared: no depth to report.
                if (await _reader.ReadyMessagesAsync(ModelQueue.Name(model), stoppingToken).ConfigureAwait(false) is { } depth)
                {
                    depths[model] = depth;
                }
            }

            Volatile.Write(ref _depths, depths);
            if (_failing)
            {
                _failing = false;
                LogRecovered();
            }
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            // Whatever went wrong, a depth is only a report: it must not stop the gateway (an exception leaving a
            // background service stops the host). The reader's message names the broker without its credentials.
            Volatile.Write(ref _depths, new Dictionary<string, long>(StringComparer.Ordinal));
            if (!_failing)
            {
                _failing = true;
                if (ex is QueueDepthReadException failed)
                {
                    LogFailed(failed.Broker, failed.Reason, _interval.TotalSeconds);
                }
                else
                {
                    LogFailed(_broker, ex.GetType().Name, _interval.TotalSeconds);
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Queue depths not read from the broker {Broker} ({Reason}); no depth is reported until a read succeeds (tried every {Seconds} s)")]
    private partial void LogFailed(string broker, string reason, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Queue depths read from the broker again")]
    private partial void LogRecovered();
}
