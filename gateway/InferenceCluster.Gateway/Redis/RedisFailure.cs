namespace InferenceCluster.Gateway.Redis;

/// <summary>
/// Why a Redis call did not run (<see cref="RedisConnection.TryAsync{T}"/>): the <c>error.type</c> of
/// <c>inference_cluster.cache.errors</c>, so that a full Redis, which still answers lookups, is told from an outage.
/// </summary>
internal static class RedisFailure
{
    /// <summary>Redis refused a write with OOM: used memory above its <c>maxmemory</c>, a policy that evicts nothing.</summary>
    public const string Full = "redis_full";

    /// <summary>No answer within <c>Gateway:Cache:RedisTimeout</c>.</summary>
    public const string Timeout = "redis_timeout";

    /// <summary>Redis could not be reached or failed the call.</summary>
    public const string Unavailable = "redis_unavailable";

    /// <summary>Skipped without a call: the breaker is open after repeated failures (<c>Gateway:Cache:RedisBreakDuration</c>).</summary>
    public const string BreakerOpen = "redis_breaker_open";

    /// <summary>Skipped without a call: the first connection is still being made.</summary>
    public const string Connecting = "redis_connecting";
}
