using Microsoft.Extensions.Logging;

namespace InferenceCluster.Gateway.Broker;

/// <summary>
/// Whether this gateway can talk to the broker, as its reply endpoint sees it: up while the endpoint consumes,
/// down from a fault or stop until it is ready again (MassTransit reconnects and declares the queue anew).
/// Requests wait here while the bus is down.
/// </summary>
internal sealed partial class BusConnection(TimeProvider time, ILogger<BusConnection> logger) : ReceiveEndpointUpDown
{
    private readonly Lock _gate = new();
    private TaskCompletionSource _up = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private DateTimeOffset? _downSince;

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

    protected override void OnUp()
    {
        lock (_gate)
        {
            if (_downSince is { } since)
            {
                _downSince = null;
                LogUp((time.GetUtcNow() - since).TotalSeconds);
            }

            _up.TrySetResult();
        }
    }

    protected override void OnDown(string reason, DateTimeOffset? since = null)
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
