using System.Globalization;
using InferenceCluster.Contracts;
using InferenceCluster.Inference;
using InferenceCluster.ServiceDefaults;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace InferenceCluster.Worker.Receiving;

/// <summary>
/// Checks, every <see cref="WorkerOptions.ReceiveCheckInterval"/>, that the worker still receives from its model's queue.
/// After a broker restart the broker can have dropped the worker's consumer while MassTransit saw no fault (see
/// docs/reliability.md): the worker would go on beating, gateways would count its slots, and it would take nothing.
/// Deaf means, on two looks in a row an interval apart: MassTransit reports the endpoint ready (and did not restart it
/// in between), a slot is free, nothing was taken for an interval, and the broker reports requests ready in the queue,
/// which a consumer with a free slot would have been given at once. Then the worker stops beating, reports itself not
/// live and exits for its supervisor to start it again (<see cref="IWorkerRestart"/>). A look whose depth cannot be read
/// says nothing either way and starts the count again.
/// </summary>
internal sealed partial class ReceiveWatchdog : BackgroundService, IHostedLifecycleService
{
    private readonly ModelQueueActivity _activity;
    private readonly IQueueDepthReader _depth;
    private readonly IWorkerRestart _restart;
    private readonly TimeProvider _time;
    private readonly ILogger<ReceiveWatchdog> _logger;
    private readonly TimeSpan _interval;
    private readonly string _queue;
    private readonly int _capacity;
    private ReceiveLook? _previous;
    private bool _unknown;
    private volatile bool _hostStopping;

    public ReceiveWatchdog(
        ModelQueueActivity activity,
        IQueueDepthReader depth,
        IWorkerRestart restart,
        IInferenceEngine engine,
        IOptions<WorkerOptions> options,
        TimeProvider time,
        ILogger<ReceiveWatchdog> logger)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(options);
        _activity = activity;
        _depth = depth;
        _restart = restart;
        _time = time;
        _logger = logger;
        _interval = options.Value.ReceiveCheckInterval;
        _queue = ModelQueue.Name(engine.Model.Id);

        // As the request consumer's definition sizes the endpoint.
        _capacity = Math.Max(1, engine.Model.Capacity);
    }

    /// <summary>Called on every lifecycle service before any is stopped: a draining worker takes nothing on purpose.</summary>
    public Task StoppingAsync(CancellationToken cancellationToken)
    {
        _hostStopping = true;
        return Task.CompletedTask;
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>One look; true when it found the worker deaf (and asked for the restart).</summary>
    internal async Task<bool> CheckOnceAsync(CancellationToken cancellationToken)
    {
        var previous = _previous;
        _previous = null;
        if (_hostStopping || _activity.IsDeaf)
        {
            return false;
        }

        var now = _time.GetUtcNow();
        var look = new ReceiveLook(now, _activity.Taken, _activity.EndpointEpoch, 0);
        var active = _activity.Active;
        if (!_activity.EndpointReady || active >= _capacity || now - _activity.QuietSince < _interval)
        {
            return false;
        }

        long ready;
        try
        {
            ready = await _depth.ReadyMessagesAsync(_queue, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            if (!_unknown)
            {
                _unknown = true;
                LogUnknown(_queue, BrokerAddress.RedactText(exception.Message));
            }

            return false;
        }

        if (_unknown)
        {
            _unknown = false;
            LogKnownAgain(_queue);
        }

        // A request taken, or the endpoint restarted, while the broker was asked: the count starts again.
        if (ready <= 0 || _activity.Taken != look.Taken || _activity.EndpointEpoch != look.EndpointEpoch || _hostStopping)
        {
            return false;
        }

        look = look with { Ready = ready };
        if (previous is null || previous.Taken != look.Taken || previous.EndpointEpoch != look.EndpointEpoch)
        {
            _previous = look;
            return false;
        }

        var evidence = string.Create(
            CultureInfo.InvariantCulture,
            $"the broker reported {previous.Ready} then {ready} requests ready " +
            $"{(look.At - previous.At).TotalSeconds:0.#} s apart while this worker had {_capacity - active} of {_capacity} slots free, " +
            $"took nothing for {(now - _activity.QuietSince).TotalSeconds:0.#} s and MassTransit reported the endpoint ready");
        _activity.MarkDeaf($"Not receiving on {_queue}: {evidence}");
        LogDeaf(_queue, evidence, ExitForRestart.ExitCode);
        _restart.Request();
        return true;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_interval, _time);
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

    [LoggerMessage(Level = LogLevel.Error,
        Message = "Not receiving on {Queue}: {Evidence}. The broker no longer delivers to this worker; it stops and exits with code {ExitCode} so that its supervisor starts it again (waiting requests stay in the queue)")]
    private partial void LogDeaf(string queue, string evidence, int exitCode);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Cannot check that this worker receives on {Queue}: {Reason}; it is not judged until the broker answers")]
    private partial void LogUnknown(string queue, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Checking that this worker receives on {Queue} again")]
    private partial void LogKnownAgain(string queue);
}
