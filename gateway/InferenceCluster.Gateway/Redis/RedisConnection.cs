using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;
using StackExchange.Redis;

namespace InferenceCluster.Gateway.Redis;

/// <summary>
/// The gateway's one connection to Redis, shared by the cache and the rate counts, behind a circuit breaker.
/// Redis is an optimisation, never a dependency: each call is bounded by <see cref="RedisOptions.RedisTimeout"/>;
/// once calls keep failing the breaker opens and every call is refused at once (no network wait) for
/// <see cref="RedisOptions.RedisBreakDuration"/>, after which one call probes Redis and a success closes it again.
/// </summary>
internal sealed partial class RedisConnection : IAsyncDisposable
{
    private readonly Lazy<Task<IConnectionMultiplexer>> _connection;
    private readonly ResiliencePipeline _pipeline;
    private readonly ILogger<RedisConnection> _logger;
    private readonly TimeProvider _time;
    private readonly RedisOutage _outage;

    /// <summary>A full Redis refuses every write for as long as it stays full: one warning a minute says so, with the count.</summary>
    private static readonly TimeSpan FullLogInterval = TimeSpan.FromMinutes(1);

    private readonly Lock _fullLog = new();
    private long? _fullLoggedAt;
    private int _fullSinceLog;

    public RedisConnection(string connectionString, IOptions<RedisOptions> options, TimeProvider time, ILogger<RedisConnection> logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentNullException.ThrowIfNull(options);
        _logger = logger;
        _time = time;
        var settings = options.Value;
        var configuration = Configure(connectionString, settings.RedisTimeout);
        _outage = new RedisOutage(time, logger, string.Join(", ", configuration.EndPoints.Select(EndPointCollection.ToString)), settings.RedisTimeout);

        // On the thread pool: the client does part of its connecting synchronously, which must not hold up a request.
        _connection = new Lazy<Task<IConnectionMultiplexer>>(() => Task.Run(async () =>
            (IConnectionMultiplexer)await ConnectionMultiplexer.ConnectAsync(configuration).ConfigureAwait(false)));
        _pipeline = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                // A full Redis refusing a write answers at once and still serves lookups: no outage, so not counted
                // (with a lookup and a refused store per request, half the calls failed and the breaker cut the lookups off).
                ShouldHandle = new PredicateBuilder().Handle<RedisException>(exception => !IsFull(exception))
                    .Handle<TimeoutException>().Handle<TimeoutRejectedException>(),
                FailureRatio = 0.5,
                MinimumThroughput = settings.RedisBreakAfter,
                SamplingDuration = TimeSpan.FromSeconds(10),
                BreakDuration = settings.RedisBreakDuration,
                OnOpened = args =>
                {
                    _outage.BreakerOpened(args.BreakDuration);
                    return ValueTask.CompletedTask;
                },
            })
            .AddTimeout(settings.RedisTimeout)
            .Build();
    }

    /// <summary>
    /// Runs <paramref name="call"/> against Redis; Failure says why it did not (a <see cref="RedisFailure"/> value, the
    /// <c>error.type</c> of the cache's error count), null when it did. Never throws for Redis being unavailable.
    /// </summary>
    public async ValueTask<(string? Failure, T? Result)> TryAsync<T>(string operation, Func<IDatabase, Task<T>> call, CancellationToken cancellationToken)
    {
        if (!_connection.Value.IsCompleted)
        {
            // Still making its first connection (in the background, from the first call on): no call waits for it.
            return (RedisFailure.Connecting, default);
        }

        try
        {
            var result = await _pipeline.ExecuteAsync(
                static async (state, token) =>
                {
                    var connection = await state.Self._connection.Value.ConfigureAwait(false);
                    return await state.Call(connection.GetDatabase()).WaitAsync(token).ConfigureAwait(false);
                },
                (Self: this, Call: call),
                cancellationToken).ConfigureAwait(false);
            _outage.Answered();
            return (null, result);
        }
        catch (BrokenCircuitException)
        {
            // Refused without touching the network: the cost of an outage per request is this exception.
            _outage.Skipped(operation, null);
            return (RedisFailure.BreakerOpen, default);
        }
        catch (RedisServerException ex) when (IsFull(ex))
        {
            // Full, yet answering: not an outage.
            _outage.Answered();
            NoteFull(operation);
            return (RedisFailure.Full, default);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or TimeoutRejectedException or ObjectDisposedException)
        {
            // One line per change of state, not per call (RedisOutage); the error count has every call.
            _outage.Skipped(operation, ex);
            return (ex is TimeoutException or TimeoutRejectedException ? RedisFailure.Timeout : RedisFailure.Unavailable, default);
        }
    }

    /// <summary>
    /// Redis's OOM error: its used memory is above <c>maxmemory</c> and its <c>maxmemory-policy</c> (noeviction, or a
    /// volatile-* one with no key that has a TTL to evict) frees nothing, so it refuses commands that add data. A script
    /// whose write was refused carries the same text.
    /// </summary>
    private static bool IsFull(Exception exception) =>
        exception is RedisServerException && exception.Message.Contains("OOM command not allowed", StringComparison.Ordinal);

    /// <summary>Logs a refusal because Redis is full: the first at once, then at most one a <see cref="FullLogInterval"/>.</summary>
    private void NoteFull(string operation)
    {
        var now = _time.GetTimestamp();
        int refused;
        lock (_fullLog)
        {
            _fullSinceLog++;
            if (_fullLoggedAt is { } last && _time.GetElapsedTime(last, now) < FullLogInterval)
            {
                return;
            }

            refused = _fullSinceLog;
            _fullSinceLog = 0;
            _fullLoggedAt = now;
        }

        LogFull(operation, refused, FullLogInterval.TotalSeconds);
    }

    /// <summary>Starts the first connection in the background (also done by the first call).</summary>
    public void BeginConnecting() => _ = _connection.Value;

    public async ValueTask DisposeAsync()
    {
        if (_connection.IsValueCreated && _connection.Value.IsCompletedSuccessfully)
        {
            await _connection.Value.Result.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static ConfigurationOptions Configure(string connectionString, TimeSpan timeout)
    {
        var configuration = RedisAddress.Parse(connectionString);

        // Start even when Redis is down and reconnect in the background, and while disconnected fail each
        // command at once instead of queueing it until a timeout: the breaker, not a backlog, decides.
        configuration.AbortOnConnectFail = false;
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        configuration.AsyncTimeout = Math.Min(configuration.AsyncTimeout, (int)Math.Ceiling(timeout.TotalMilliseconds * 4));
        return configuration;
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Redis refused the {Operation}: it is full (OOM: used memory above its maxmemory, and its maxmemory-policy evicts nothing to make room); {Refused} writes refused since the last such line (one at most every {Seconds} s); serving without them, reads still answered. Raise maxmemory, or give it an evicting policy such as allkeys-lru")]
    private partial void LogFull(string operation, int refused, double seconds);
}
