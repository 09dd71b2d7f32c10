using System.Collections.Concurrent;
using InferenceCluster.Worker.Execution;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace InferenceCluster.Worker.Gateways;

/// <summary>
/// Which gateways are alive, from their heartbeats, and the running requests each one waits for. A request
/// whose gateway has been silent for <see cref="WorkerOptions.GatewayLiveness"/> is stopped: its answers would
/// go to a reply queue nobody reads. A request counts its gateway as heard from when it starts, so a worker
/// that has not heard a gateway's first beat yet gives it the same time.
/// </summary>
internal sealed partial class GatewayLiveness(IOptions<WorkerOptions> options, TimeProvider time, ILogger<GatewayLiveness> logger)
{
    private readonly ConcurrentDictionary<string, long> _lastBeat = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<RunningRequest, GatewayWatch> _watched = new();

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

    /// <summary>Stops every watched request whose gateway has been silent too long; returns how many it stopped.</summary>
    public int StopOrphans()
    {
        var limit = options.Value.GatewayLiveness;
        var stopped = 0;
        foreach (var (request, watched) in _watched)
        {
            var heard = _lastBeat.TryGetValue(watched.ReplyAddress, out var beat) ? Math.Max(beat, watched.Started) : watched.Started;
            var silence = time.GetElapsedTime(heard);
            if (silence > limit && _watched.TryRemove(request, out _))
            {
                LogGatewayLost(request.RequestId, watched.ReplyAddress, silence.TotalSeconds);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {RequestId} stopped: its gateway ({ReplyAddress}) has sent no heartbeat for {Seconds:0.0} s, so nobody reads the answer")]
    private partial void LogGatewayLost(Guid requestId, string replyAddress, double seconds);
}
