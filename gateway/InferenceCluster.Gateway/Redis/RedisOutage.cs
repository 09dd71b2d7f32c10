using InferenceCluster.ServiceDefaults;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace InferenceCluster.Gateway.Redis;

/// <summary>
/// Logs a Redis outage by its changes of state, not by its calls: Redis unreachable or too slow (the first failed call, with the
/// error's type and message and no stack trace), the breaker opening (the first time in the outage), Redis back (how long
/// it was away, how many calls went without it). The calls in between are at debug; the <c>inference_cluster.cache.errors</c>
/// metric counts each of them by <c>error.type</c>. An error of a kind the outage has not had yet is a warning too.
/// </summary>
internal sealed partial class RedisOutage(TimeProvider time, ILogger logger, string endpoints, TimeSpan timeout)
{
    private readonly FailureRun _run = new(time);
    private readonly Lock _gate = new();
    private int _breakerOpenings;
    private bool _failing;
    private TimeSpan? _openedAhead;

    /// <summary>A call failed at Redis (<paramref name="exception"/>) or was refused by the open breaker (null).</summary>
    public void Skipped(string operation, Exception? exception)
    {
        var (error, detail) = exception switch
        {
            null => ("BreakerOpen", "refused by the open breaker"),
            // The client's message may repeat its configuration (password=…) or a redis:// address with its user.
            Polly.Timeout.TimeoutRejectedException or TimeoutException =>
                (exception.GetType().Name, $"no answer within {timeout.TotalMilliseconds:0} ms ({BrokerAddress.RedactText(exception.Message)})"),
            _ => (exception.GetType().Name, BrokerAddress.RedactText(exception.Message)),
        };
        var (isNew, began, failures, lasting) = _run.Fail(Kind(exception));
        TimeSpan? opened;
        lock (_gate)
        {
            _failing = true;
            (opened, _openedAhead) = (_openedAhead, null);
        }

        if (began)
        {
            LogUnreachable(endpoints, operation, error, detail);
        }
        else if (isNew && exception is not null)
        {
            LogFailingOtherwise(endpoints, operation, error, detail, failures, lasting.TotalSeconds);
        }
        else
        {
            LogSkipped(operation, error, detail, failures);
        }

        if (opened is { } skipFor)
        {
            TellOpened(skipFor);
        }
    }

    /// <summary>
    /// The cause of a failure, as news goes: why the call did not run (the <see cref="RedisFailure"/> reason), so that the
    /// client's, Polly's and the BCL's timeouts are one cause; and for a connection error, its failure type unless it is one
    /// of the ways of finding Redis away (a refused password after an outage is news, a socket closed after a refused
    /// connection is not).
    /// </summary>
    private static string Kind(Exception? exception) => exception switch
    {
        null => RedisFailure.BreakerOpen,
        TimeoutException or Polly.Timeout.TimeoutRejectedException => RedisFailure.Timeout,
        RedisConnectionException { FailureType: var type } when !IsAway(type) => $"{RedisFailure.Unavailable}:{type}",
        RedisServerException => $"{RedisFailure.Unavailable}:server",
        _ => RedisFailure.Unavailable,
    };

    private static bool IsAway(ConnectionFailureType type) => type is ConnectionFailureType.None
        or ConnectionFailureType.UnableToConnect or ConnectionFailureType.SocketFailure
        or ConnectionFailureType.SocketClosed or ConnectionFailureType.ConnectionDisposed
        or ConnectionFailureType.UnableToResolvePhysicalConnection;

    /// <summary>
    /// The breaker opened: told the first time in an outage; its reopening after a failed probe is at debug. Polly runs this
    /// inside the call that trips the breaker, before that call's failure reaches <see cref="Skipped"/>: when that failure is
    /// the outage's first, it is told after the line that Redis is unreachable, not before.
    /// </summary>
    public void BreakerOpened(TimeSpan skipFor)
    {
        lock (_gate)
        {
            if (!_failing)
            {
                _openedAhead = skipFor;
                return;
            }
        }

        TellOpened(skipFor);
    }

    private void TellOpened(TimeSpan skipFor)
    {
        if (Interlocked.Increment(ref _breakerOpenings) == 1)
        {
            LogBreakerOpen(endpoints, skipFor.TotalSeconds);
        }
        else
        {
            LogBreakerOpenAgain(skipFor.TotalSeconds);
        }
    }

    /// <summary>Redis answered a call: an outage going on ends, and is told with its length and the calls it cost.</summary>
    public void Answered()
    {
        if (_run.End() is var (skipped, lasted))
        {
            // Reset when the outage ends, not when one begins: Polly runs OnOpened inside the call that trips the breaker,
            // before that call's failure is counted here, so a reset at the run's start undid the opening just told.
            Interlocked.Exchange(ref _breakerOpenings, 0);
            lock (_gate)
            {
                _failing = false;
            }

            LogBack(endpoints, lasted.TotalSeconds, skipped);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message =
        "Redis at {Endpoints} is unreachable or too slow ({Error}: {Detail}): the {Operation} and the Redis calls after it are skipped, requests " +
        "are served without the cache and with rate counts of this gateway alone, until Redis answers again (one line says so; " +
        "the calls until then are logged at debug and counted by inference_cluster.cache.errors)")]
    private partial void LogUnreachable(string endpoints, string operation, string error, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message =
        "Redis at {Endpoints}, unreachable, now fails otherwise at the {Operation} ({Error}: {Detail}); {Failures} calls skipped over {Seconds:0} s")]
    private partial void LogFailingOtherwise(string endpoints, string operation, string error, string detail, int failures, double seconds);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Redis {Operation} skipped ({Error}: {Detail}); {Failures} calls skipped in this outage")]
    private partial void LogSkipped(string operation, string error, string detail, int failures);

    [LoggerMessage(Level = LogLevel.Warning, Message =
        "Redis at {Endpoints} keeps failing: its breaker is open, Redis is not called for {Seconds} s (Gateway:Cache:RedisBreakDuration), " +
        "then one call probes it, again until one succeeds")]
    private partial void LogBreakerOpen(string endpoints, double seconds);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Redis probe failed: its breaker is open again for {Seconds} s")]
    private partial void LogBreakerOpenAgain(double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message =
        "Redis at {Endpoints} answers again, after {Seconds:0.#} s away; calls that went without it: {Skipped}; cache and shared rate counts back on")]
    private partial void LogBack(string endpoints, double seconds, int skipped);
}
