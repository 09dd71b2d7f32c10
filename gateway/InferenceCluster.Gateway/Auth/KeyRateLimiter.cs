using System.Globalization;
using System.Threading.RateLimiting;
using InferenceCluster.Gateway.Redis;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace InferenceCluster.Gateway.Auth;

/// <summary>
/// One fixed one-minute window per API key (<c>Policy:RequestsPerMinute</c>). With Redis the count is shared by
/// every gateway (one counter per key and minute); while Redis is down or skipped, each gateway counts on its own,
/// so a key may then get up to its rate at every gateway. Requests are not queued: a client over its rate gets 429
/// with the time until the window turns.
/// </summary>
internal sealed class KeyRateLimiter : IDisposable
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    // INCR and the expiry in one step, so a counter never outlives its window even if this gateway dies between them.
    private static readonly LuaScript Count = LuaScript.Prepare(
        "local count = redis.call('INCR', @key) if count == 1 then redis.call('PEXPIRE', @key, @ttl) end return count");

    private readonly TimeProvider _time;
    private readonly RedisConnection? _redis;
    private readonly string _prefix;
    private readonly PartitionedRateLimiter<ApiKeyIdentity> _local;

    public KeyRateLimiter(TimeProvider time, IOptions<RedisOptions> redisOptions, RedisConnection? redis = null)
    {
        ArgumentNullException.ThrowIfNull(redisOptions);
        _time = time;
        _redis = redis;
        _prefix = redisOptions.Value.KeyPrefix + "rate:";
        _local = PartitionedRateLimiter.Create<ApiKeyIdentity, string>(identity =>
            identity.Policy.RequestsPerMinute is { } perMinute
                ? RateLimitPartition.GetFixedWindowLimiter(
                    $"{identity.Name}/{perMinute}",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = Window, QueueLimit = 0, AutoReplenishment = true })
                : RateLimitPartition.GetNoLimiter(identity.Name));
    }

    /// <summary>Null when the request may go on, else how long the client should wait.</summary>
    public async ValueTask<TimeSpan?> TryAcquireAsync(ApiKeyIdentity identity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(identity);
        if (identity.Policy.RequestsPerMinute is not { } perMinute)
        {
            return null;
        }

        if (_redis is not null)
        {
            var now = _time.GetUtcNow();
            var minute = now.ToUnixTimeSeconds() / 60;
            var key = string.Create(CultureInfo.InvariantCulture, $"{_prefix}{identity.Name}:{minute}");
            var (ok, count) = await _redis.TryAsync(
                "rate count",
                database => database.ScriptEvaluateAsync(Count, new { key = (RedisKey)key, ttl = (long)(2 * Window.TotalMilliseconds) }),
                cancellationToken).ConfigureAwait(false);
            if (ok && count is not null)
            {
                return (long)count <= perMinute ? null : DateTimeOffset.FromUnixTimeSeconds((minute + 1) * 60) - now;
            }
        }

        using var lease = _local.AttemptAcquire(identity);
        if (lease.IsAcquired)
        {
            return null;
        }

        return lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : Window;
    }

    public void Dispose() => _local.Dispose();
}
