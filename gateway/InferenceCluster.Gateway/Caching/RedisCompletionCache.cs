using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace InferenceCluster.Gateway.Caching;

/// <summary>
/// The shared cache of all gateway instances. Redis is an optimisation here, never a dependency: every
/// call is bounded by <see cref="CompletionCacheOptions.RedisTimeout"/>, and any failure is logged and
/// treated as a miss (lookup) or skipped (store).
/// </summary>
internal sealed partial class RedisCompletionCache : ICompletionCache, IAsyncDisposable
{
    private readonly CompletionCacheOptions _options;
    private readonly ILogger<RedisCompletionCache> _logger;
    private readonly Lazy<Task<IConnectionMultiplexer>> _connection;

    public RedisCompletionCache(string connectionString, IOptions<CompletionCacheOptions> options, ILogger<RedisCompletionCache> logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _logger = logger;
        // On the thread pool: the client does part of its connecting synchronously, which must not hold up a request.
        _connection = new Lazy<Task<IConnectionMultiplexer>>(() => Task.Run(() => ConnectAsync(connectionString)));
    }

    public async ValueTask<CachedCompletion?> GetAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            var database = await DatabaseAsync(cancellationToken).ConfigureAwait(false);
            var value = await database.StringGetAsync(_options.KeyPrefix + key).WaitAsync(_options.RedisTimeout, cancellationToken).ConfigureAwait(false);
            return value.IsNullOrEmpty ? null : JsonSerializer.Deserialize((byte[])value!, CacheJsonContext.Default.CachedCompletion);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or JsonException or ObjectDisposedException)
        {
            LogCacheUnavailable(ex, "lookup");
            return null;
        }
    }

    public async ValueTask SetAsync(string key, CachedCompletion completion, CancellationToken cancellationToken)
    {
        try
        {
            var payload = JsonSerializer.SerializeToUtf8Bytes(completion, CacheJsonContext.Default.CachedCompletion);
            var database = await DatabaseAsync(cancellationToken).ConfigureAwait(false);
            await database.StringSetAsync(_options.KeyPrefix + key, payload, _options.TimeToLive, When.Always)
                .WaitAsync(_options.RedisTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            LogCacheUnavailable(ex, "store");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection.IsValueCreated && _connection.Value.IsCompletedSuccessfully)
        {
            await _connection.Value.Result.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task<IDatabase> DatabaseAsync(CancellationToken cancellationToken)
    {
        // The first connect may take longer than one call may wait; it carries on in the background and
        // later calls find it done.
        var connection = await _connection.Value.WaitAsync(_options.RedisTimeout, cancellationToken).ConfigureAwait(false);
        return connection.GetDatabase();
    }

    private static async Task<IConnectionMultiplexer> ConnectAsync(string connectionString)
    {
        var configuration = ConfigurationOptions.Parse(connectionString);

        // Start even when Redis is down and reconnect in the background; calls fail fast meanwhile.
        configuration.AbortOnConnectFail = false;
        return await ConnectionMultiplexer.ConnectAsync(configuration).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Completion cache {Operation} skipped: Redis is unavailable or slow; serving uncached")]
    private partial void LogCacheUnavailable(Exception exception, string operation);
}
