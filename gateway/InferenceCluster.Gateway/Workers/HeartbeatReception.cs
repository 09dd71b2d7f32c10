using InferenceCluster.Gateway.Broker;
using InferenceCluster.Gateway.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace InferenceCluster.Gateway.Workers;

/// <summary>
/// Whether this gateway can hear worker heartbeats, as its heartbeat endpoint sees it: deaf from a fault or stop of
/// the endpoint until MassTransit has reconnected it and bound its queue to the heartbeat exchange again. Each
/// receive endpoint reconnects on its own back-off (3 s growing to 30 s), so the reply endpoint being back says
/// nothing about this one, and a worker's own connection comes back later still. A worker that was live when the
/// gateway went deaf is therefore not declared gone until <see cref="GatewayOptions.WorkerLiveness"/> plus
/// <see cref="GatewayOptions.WorkerReconnectGrace"/> after this endpoint could hear again. For the same reason the
/// gateway cannot tell an unknown model from one whose workers it has not heard yet until the endpoint has been
/// ready for that long (<see cref="Discovering"/>).
/// </summary>
internal sealed partial class HeartbeatReception(TimeProvider time, IOptions<GatewayOptions> options, ILogger<HeartbeatReception> logger)
    : ReceiveEndpointUpDown
{
    private readonly Lock _gate = new();
    private readonly DateTimeOffset _createdAt = time.GetUtcNow();
    private DateTimeOffset? _firstReady;
    private bool _deaf;
    private DateTimeOffset? _outageStart;
    private DateTimeOffset? _hearingSince;

    /// <summary>
    /// Whether a worker last heard at <paramref name="lastHeard"/> counts as live only because heartbeats could not
    /// reach this gateway: it was live when the latest outage began, and the outage lasts or ended too recently for
    /// the worker to have been heard again.
    /// </summary>
    public bool Excuses(DateTimeOffset lastHeard)
    {
        var settings = options.Value;
        lock (_gate)
        {
            if (_outageStart is not { } start || lastHeard < start - settings.WorkerLiveness)
            {
                return false;
            }

            // A worker heard since this gateway could hear again is judged on those heartbeats alone.
            return _deaf || (lastHeard < _hearingSince && time.GetUtcNow() < _hearingSince + settings.WorkerLiveness + settings.WorkerReconnectGrace);
        }
    }

    /// <summary>
    /// Whether a live worker may not have been heard yet, and until when; null once every live worker has been: the
    /// endpoint has been ready for <see cref="GatewayOptions.WorkerLiveness"/> (a worker silent that long is not
    /// live), plus <see cref="GatewayOptions.WorkerReconnectGrace"/> after an outage, in which the workers lost their
    /// connections too and come back on their own schedule.
    /// </summary>
    public WorkerDiscovery? Discovering()
    {
        var settings = options.Value;
        lock (_gate)
        {
            // An outage before the endpoint was first ready (the broker unreachable at start) is part of the start.
            var since = _outageStart is { } outage && outage > _firstReady ? outage : _createdAt;
            if (_firstReady is not { } firstReady || _deaf)
            {
                return new WorkerDiscovery(since, null);
            }

            var until = _outageStart is null
                ? firstReady + settings.WorkerLiveness
                : _hearingSince!.Value + settings.WorkerLiveness + settings.WorkerReconnectGrace;
            return time.GetUtcNow() < until ? new WorkerDiscovery(since, until) : null;
        }
    }

    protected override void OnUp()
    {
        lock (_gate)
        {
            _firstReady ??= time.GetUtcNow();
            if (_deaf)
            {
                _deaf = false;
                _hearingSince = time.GetUtcNow();
                LogHearing((_hearingSince.Value - _outageStart!.Value).TotalSeconds);
            }
        }
    }

    protected override void OnDown(string reason, DateTimeOffset? since = null)
    {
        lock (_gate)
        {
            if (_deaf)
            {
                return;
            }

            // An outage that begins while workers may still be reconnecting from the previous one continues it: the
            // workers live when that one began have not had their chance to be heard yet. One found out late (the
            // self-check) began when the endpoint last took a message: the workers live then were silenced, not gone.
            var now = time.GetUtcNow();
            var start = since is { } earlier && earlier < now ? earlier : now;
            var settings = options.Value;
            if (_outageStart is null || !(start < _hearingSince + settings.WorkerLiveness + settings.WorkerReconnectGrace))
            {
                _outageStart = start;
            }

            _deaf = true;
            LogDeaf(reason);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Worker heartbeats cannot arrive ({Reason}): the silence does not count against Gateway:WorkerLiveness")]
    private partial void LogDeaf(string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Worker heartbeats can arrive again after {Seconds:0.0} s; workers live before get Gateway:WorkerLiveness plus Gateway:WorkerReconnectGrace to be heard")]
    private partial void LogHearing(double seconds);
}
