using System.Text.Json;
using InferenceCluster.Gateway.Redis;
using InferenceCluster.Gateway.Telemetry;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace InferenceCluster.Gateway.Caching;

/// <summary>
/// The shared cache of all gateway instances, over <see cref="RedisConnection"/>: while Redis is down, slow or
/// its breaker is open, a lookup is <see cref="CacheLookup.Unavailable"/> (not a miss: nothing was looked up) and a store
/// is skipped, so the request is served uncached.
/// </summary>
internal sealed class RedisCompletionCache(RedisConnection redis, IOptions<RedisOptions> redisOptions, IOptions<CompletionCacheOptions> options)
    : ICompletionCache
{
    private readonly string _keyPrefix = redisOptions.Value.KeyPrefix;
    private readonly TimeSpan _timeToLive = options.Value.TimeToLive;

    public async ValueTask<CacheLookup> GetAsync(string key, CancellationToken cancellationToken)
    {
        var (failure, value) = await redis.TryAsync("cache lookup", database => database.StringGetAsync(_keyPrefix + key), cancellationToken)
            .ConfigureAwait(false);
        if (failure is not null)
        {
            GatewayMetrics.RecordCacheError("lookup", failure);
            return CacheLookup.Unavailable;
        }

        if (value.IsNullOrEmpty)
        {
            return CacheLookup.Miss;
        }

        try
        {
            return JsonSerializer.Deserialize((byte[])value!, CacheJsonContext.Default.CachedCompletion) is { } entry
                ? CacheLookup.Hit(entry)
                : CacheLookup.Miss;
        }
        catch (JsonException)
        {
            // An entry written by another version: a miss, and the answer computed now replaces it.
            return CacheLookup.Miss;
        }
    }

    public async ValueTask SetAsync(string key, CachedCompletion completion, CancellationToken cancellationToken)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(completion, CacheJsonContext.Default.CachedCompletion);
        var (failure, _) = await redis.TryAsync(
            "cache store",
            database => database.StringSetAsync(_keyPrefix + key, payload, _timeToLive, When.Always),
            cancellationToken).ConfigureAwait(false);
        if (failure is not null)
        {
            GatewayMetrics.RecordCacheError("store", failure);
        }
    }
}
