using System.Collections.Concurrent;
using InferenceCluster.Worker.Execution;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace InferenceCluster.Worker.Gateways;

/// <summary>
/// Which gateways are alive, from their heartbeats, and the running requests each one waits for. A request
/// whose gateway has been silent for <see cref="WorkerOptions.GatewayLiveness"/> is stopped: its answers would
/// go to a reply queue nobody reads. A request counts its gateway as heard from when it starts, so a worker
/// that has not heard a gateway's first beat yet gives it the same time. Silence this worker shares is not counted:
/// a broker that holds every publish (a memory or disk alarm) silences all gateways while they live and wait for
/// the answers, so before stopping anything the worker checks that its own publishes go through.
/// </summary>
internal sealed partial class GatewayLiveness(IOptions<WorkerOptions> options, TimeProvider time, ILogger<GatewayLiveness> logger)
{
    private readonly ConcurrentDictionary<string, long> _lastBeat = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<RunningRequest, GatewayWatch> _watched = new();
    private long _excusedUntil = long.MinValue;
    private volatile bool _excusing;

    /// <summary>Requests being watched now.</summary>
    public int Watching => _watched.Count;

    /// <summary>Records a heartbeat of the gateway reading <paramref name="replyAddress"/>.</summary>
    public void Beat(Uri replyAddress)
    {
        ArgumentNullException.ThrowIfNull(replyAddress);
        _lastBeat[replyAddress.ToString()] = time.GetTimestamp();
    }

    /// <summary>Watches a running request until the returned watch is disposed.</summary>
    public GatewayWatch Watch(Uri replyAddress, RunningRequest request)
    {
        ArgumentNullException.ThrowIfNull(replyAddress);
        ArgumentNullException.ThrowIfNull(request);
        var watch = new GatewayWatch(replyAddress.ToString(), time.GetTimestamp(), () => _watched.TryRemove(request, out _));
        _watched[request] = watch;
        return watch;
    }

    /// <summary>
    /// After a reply could not be sent: waits until the gateway is either heard from again (false) or given up
    /// on (true), at most one liveness period and a little more.
    /// </summary>
    public async Task<bool> WaitUntilLostAsync(GatewayWatch watch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(watch);
        var failedAt = time.GetTimestamp();
        var patience = options.Value.GatewayLiveness + TimeSpan.FromSeconds(1);
        while (!watch.Lost && time.GetElapsedTime(failedAt) < patience)
        {
            if (_lastBeat.TryGetValue(watch.ReplyAddress, out var beat) && beat > failedAt)
            {
                return false;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), time, cancellationToken).ConfigureAwait(false);
        }

        return watch.Lost;
    }

    /// <summary>
    /// Stops the requests of gateways silent too long once <paramref name="publishing"/> shows that this worker's own
    /// publishes go through; when they do not, the silence is the broker's, and every gateway is given its liveness
    /// again from now. Returns how many requests it stopped.
    /// </summary>
    public async Task<int> StopOrphansAsync(IPublishCheck publishing, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(publishing);
        // While excusing, every look checks again, so that the gateways' liveness counts from about when publishing came back.
        if (!_excusing && !_watched.Values.Any(IsSilent))
        {
            return 0;
        }

        if (!await publishing.CanPublishAsync(cancellationToken).ConfigureAwait(false))
        {
            Interlocked.Exchange(ref _excusedUntil, time.GetTimestamp());
            if (!_excusing)
            {
                _excusing = true;
                LogSilenceExcused(options.Value.GatewayLiveness.TotalSeconds);
            }

            return 0;
        }

        if (_excusing)
        {
            _excusing = false;
            LogPublishingAgain();
        }

        return StopOrphans();
    }

    /// <summary>Stops every watched request whose gateway has been silent too long; returns how many it stopped.</summary>
    public int StopOrphans()
    {
        var limit = options.Value.GatewayLiveness;
        var stopped = 0;
        foreach (var (request, watched) in _watched)
        {
            if (IsSilent(watched) && _watched.TryRemove(request, out _))
            {
                LogGatewayLost(request.RequestId, watched.ReplyAddress, time.GetElapsedTime(Heard(watched)).TotalSeconds);
                watched.Lost = true;
                request.Cancel();
                stopped++;
            }
        }

        // Gateways come and go (every restart has a new reply queue); forget those silent for long.
        foreach (var (address, beat) in _lastBeat)
        {
            if (time.GetElapsedTime(beat) > limit * 10)
            {
                _lastBeat.TryRemove(new KeyValuePair<string, long>(address, beat));
            }
        }

        return stopped;
    }

    private bool IsSilent(GatewayWatch watched) => time.GetElapsedTime(Heard(watched)) > options.Value.GatewayLiveness;

    /// <summary>The last beat of the request's gateway, its start, or the last time this worker could not publish either.</summary>
    private long Heard(GatewayWatch watched)
    {
        var heard = _lastBeat.TryGetValue(watched.ReplyAddress, out var beat) ? Math.Max(beat, watched.Started) : watched.Started;
        return Math.Max(heard, Interlocked.Read(ref _excusedUntil));
    }

    [LoggerMessage(
        Level = LogLevel.Warning,
        Message = "Gateways have been silent for over {Seconds:0.0} s, but this worker's own publishes do not go through either (a broker alarm holds publishes?): their requests keep running")]
    private partial void LogSilenceExcused(double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "This worker's publishes go through again; silent gateways are judged from their last heartbeat or the end of that wait")]
    private partial void LogPublishingAgain();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {RequestId} stopped: its gateway ({ReplyAddress}) has sent no heartbeat for {Seconds:0.0} s, so nobody reads the answer")]
    private partial void LogGatewayLost(Guid requestId, string replyAddress, double seconds);
}
