using InferenceCluster.Contracts;
using InferenceCluster.Gateway.Configuration;
using InferenceCluster.Gateway.Telemetry;
using InferenceCluster.ServiceDefaults;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace InferenceCluster.Gateway.Workers;

/// <summary>
/// Reads, every <see cref="GatewayOptions.QueueDepthInterval"/>, how many messages wait in the queue of each model
/// the gateway knows, from the broker itself (a passive queue declare, which changes nothing), and reports it as
/// <c>inference_cluster.queue.depth</c>. It talks only to the configured broker, over a connection of its own so
/// that a slow read never holds up the bus. A failed read is logged once per outage and reported as no value,
/// never as a stale one; requests are not affected.
/// </summary>
internal sealed partial class QueueDepthMonitor : BackgroundService
{
    private static readonly TimeSpan LongestRead = TimeSpan.FromSeconds(5);

    private readonly Uri _broker;
    private readonly WorkerRegistry _workers;
    private readonly TimeProvider _time;
    private readonly ILogger<QueueDepthMonitor> _logger;
    private readonly TimeSpan _interval;
    private readonly TimeSpan _readTimeout;
    private Dictionary<string, long> _depths = new(StringComparer.Ordinal);
    private IConnection? _connection;
    private bool _failing;

    public QueueDepthMonitor(Uri broker, WorkerRegistry workers, IOptions<GatewayOptions> options, TimeProvider time, ILogger<QueueDepthMonitor> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _broker = broker;
        _workers = workers;
        _time = time;
        _logger = logger;
        _interval = options.Value.QueueDepthInterval;
        _readTimeout = _interval < LongestRead ? _interval : LongestRead;
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
        await CloseAsync().ConfigureAwait(false);
    }

    private async Task ReadAllAsync(CancellationToken stoppingToken)
    {
        var models = _workers.KnownModels();
        if (models.Count == 0)
        {
            return;
        }

        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        bounded.CancelAfter(_readTimeout);
        try
        {
            var depths = new Dictionary<string, long>(StringComparer.Ordinal);
            _connection ??= await Factory().CreateConnectionAsync(bounded.Token).ConfigureAwait(false);
            IChannel? channel = null;
            try
            {
                foreach (var model in models)
                {
                    channel ??= await _connection.CreateChannelAsync(cancellationToken: bounded.Token).ConfigureAwait(false);
                    try
                    {
                        var queue = await channel.QueueDeclarePassiveAsync(ModelQueue.Name(model), bounded.Token).ConfigureAwait(false);
                        depths[model] = queue.MessageCount;
                    }
                    catch (OperationInterruptedException missing) when (missing.ShutdownReason?.ReplyCode == Constants.NotFound)
                    {
                        // Nothing was ever sent to this model and no worker declared its queue: no depth to report.
                        // The broker closes the channel on this answer, so the next queue gets a new one.
                        await channel.DisposeAsync().ConfigureAwait(false);
                        channel = null;
                    }
                }
            }
            finally
            {
                if (channel is not null)
                {
                    await channel.DisposeAsync().ConfigureAwait(false);
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
            // background service stops the host).
            Volatile.Write(ref _depths, new Dictionary<string, long>(StringComparer.Ordinal));
            await CloseAsync().ConfigureAwait(false);
            if (!_failing)
            {
                _failing = true;

                // The type and message only, with the credentials taken out of both the address and the message.
                LogFailed(BrokerAddress.Redact(_broker), ex is OperationCanceledException ? "no answer in time" : Scrub(ex.GetType().Name + ": " + ex.Message),
                    _interval.TotalSeconds);
            }
        }
    }

    private ConnectionFactory Factory()
    {
        // MassTransit also accepts rabbitmq:// and rabbitmqs://; the client reads the same address as amqp.
        var uri = new UriBuilder(_broker) { Scheme = _broker.Scheme is "amqps" or "rabbitmqs" ? "amqps" : "amqp" };
        return new ConnectionFactory
        {
            Uri = uri.Uri,
            ClientProvidedName = "inference-cluster-gateway-queue-depth",
            AutomaticRecoveryEnabled = false,
            TopologyRecoveryEnabled = false,
            RequestedConnectionTimeout = _readTimeout,
            ContinuationTimeout = _readTimeout,
            HandshakeContinuationTimeout = _readTimeout,
        };
    }

    private string Scrub(string text)
    {
        foreach (var secret in _broker.UserInfo.Split(':', 2).Skip(1).SelectMany(password => new[] { password, Uri.UnescapeDataString(password) }))
        {
            if (secret.Length > 0)
            {
                text = text.Replace(secret, "***", StringComparison.Ordinal);
            }
        }

        return text;
    }

    private async Task CloseAsync()
    {
        if (_connection is { } connection)
        {
            _connection = null;
            try
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Closing a connection that is already broken may fail in any way, and a depth reading must never
                // stop the gateway: nothing is left to release.
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Queue depths not read from the broker {Broker} ({Reason}); no depth is reported until a read succeeds (tried every {Seconds} s)")]
    private partial void LogFailed(string broker, string reason, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Queue depths read from the broker again")]
    private partial void LogRecovered();
}
