using System.Collections.Concurrent;
using System.Globalization;
using InferenceCluster.Gateway.Redis;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace InferenceCluster.Gateway.Auth;

/// <summary>
/// One fixed window per API key and clock minute (<c>Policy:RequestsPerMinute</c>). With Redis the count is shared
/// by every gateway (one counter per key and minute); while Redis is down or skipped, each gateway counts the same
/// minutes on its own, so a key may then get up to its rate at every gateway. Requests are not queued: a client
/// over its rate gets 429 with the time until the minute turns.
/// </summary>
internal sealed class KeyRateLimiter
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    // INCR and the expiry in one step, so a counter never outlives its window even if this gateway dies between them.
    private static readonly LuaScript Count = LuaScript.Prepare(
        "local count = redis.call('INCR', @key) if count == 1 then redis.call('PEXPIRE', @key, @ttl) end return count");

    private readonly TimeProvider _time;
    private readonly RedisConnection? _redis;
    private readonly string _prefix;

    // Keyed by name and rate, so a key whose rate is reconfigured starts a fresh count.
    private readonly ConcurrentDictionary<string, LocalWindow> _local = new(StringComparer.Ordinal);

    public KeyRateLimiter(TimeProvider time, IOptions<RedisOptions> redisOptions, RedisConnection? redis = null)
    {
        ArgumentNullException.ThrowIfNull(redisOptions);
        _time = time;
        _redis = redis;
        _prefix = redisOptions.Value.KeyPrefix + "rate:";
    }

    /// <summary>Counts the request; null when the key has no rate, else whether it may go on and what is left.</summary>
    public async ValueTask<KeyRate?> TryAcquireAsync(ApiKeyIdentity identity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(identity);
        if (identity.Policy.RequestsPerMinute is not { } perMinute)
        {
            return null;
        }

        var now = _time.GetUtcNow();
        var minute = now.ToUnixTimeSeconds() / 60;
        var untilNextMinute = DateTimeOffset.FromUnixTimeSeconds((minute + 1) * 60) - now;
        if (_redis is not null)
        {
            var key = string.Create(CultureInfo.InvariantCulture, $"{_prefix}{identity.Name}:{minute}");
            var (failure, count) = await _redis.TryAsync(
                "rate count",
                database => database.ScriptEvaluateAsync(Count, new { key = (RedisKey)key, ttl = (long)(2 * Window.TotalMilliseconds) }),
                cancellationToken).ConfigureAwait(false);
            if (failure is null && count is not null)
            {
                var counted = (long)count;
                return new KeyRate(counted <= perMinute, perMinute, (int)Math.Max(0, perMinute - counted), untilNextMinute);
            }
        }

        var window = _local.GetOrAdd($"{identity.Name}/{perMinute}", _ => new LocalWindow());
        lock (window)
        {
            if (window.Minute != minute)
            {
                window.Minute = minute;
                window.Count = 0;
            }

            var allowed = window.Count < perMinute;
            if (allowed)
            {
                window.Count++;
            }

            return new KeyRate(allowed, perMinute, perMinute - window.Count, untilNextMinute);
        }
    }

    private sealed class LocalWindow
    {
        public long Minute { get; set; } = -1;

        public int Count { get; set; }
    }
}
