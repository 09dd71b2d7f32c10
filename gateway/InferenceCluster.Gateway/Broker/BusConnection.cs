using MassTransit;
using Microsoft.Extensions.Logging;

namespace InferenceCluster.Gateway.Broker;

/// <summary>
/// Whether this gateway can talk to the broker, as its reply endpoint sees it: up while the endpoint consumes,
/// down from a fault or stop until it is ready again (MassTransit reconnects and declares the queue anew).
/// Requests wait here while the bus is down, and the time it was down does not count against worker liveness.
/// </summary>
internal sealed partial class BusConnection(TimeProvider time, ILogger<BusConnection> logger) : IReceiveEndpointObserver
{
    private readonly Lock _gate = new();
    private TaskCompletionSource _up = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private DateTimeOffset? _downSince;
    private DateTimeOffset? _lastOutageStart;
    private DateTimeOffset? _lastOutageEnd;

    public bool IsUp
    {
        get
        {
            lock (_gate)
            {
                return _up.Task.IsCompleted;
            }
        }
    }

    /// <summary>Completes when the bus is up (at once if it is); cancelled with <paramref name="cancellationToken"/>.</summary>
    public Task WaitUpAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return _up.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>
    /// How long the latest outage kept heartbeats from arriving, while it lasts and for <paramref name="window"/>
    /// after it ended; zero otherwise.
    /// </summary>
    public TimeSpan SilenceWithin(TimeSpan window)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (_downSince is { } since)
            {
                return now - since;
            }

            return _lastOutageStart is { } start && _lastOutageEnd is { } end && now - end < window ? end - start : TimeSpan.Zero;
        }
    }

    public Task Ready(ReceiveEndpointReady ready)
    {
        lock (_gate)
        {
            if (_downSince is { } since)
            {
                _lastOutageStart = since;
                _lastOutageEnd = time.GetUtcNow();
                _downSince = null;
                LogUp((_lastOutageEnd.Value - since).TotalSeconds);
            }

            _up.TrySetResult();
        }

        return Task.CompletedTask;
    }

    public Task Faulted(ReceiveEndpointFaulted faulted)
    {
        ArgumentNullException.ThrowIfNull(faulted);
        GoDown(faulted.Exception?.GetType().Name ?? "fault");
        return Task.CompletedTask;
    }

    public Task Stopping(ReceiveEndpointStopping stopping)
    {
        GoDown("stopping");
        return Task.CompletedTask;
    }

    public Task Completed(ReceiveEndpointCompleted completed)
    {
        GoDown("stopped");
        return Task.CompletedTask;
    }

    private void GoDown(string reason)
    {
        lock (_gate)
        {
            if (!_up.Task.IsCompleted)
            {
                return;
            }

            _up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _downSince = time.GetUtcNow();
            LogDown(reason);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message bus down ({Reason}): new requests wait for it, within their deadlines")]
    private partial void LogDown(string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Message bus up again after {Seconds:0.0} s: sending the requests that waited")]
    private partial void LogUp(double seconds);
}
