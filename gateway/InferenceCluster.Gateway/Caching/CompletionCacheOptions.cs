using System.ComponentModel.DataAnnotations;

namespace InferenceCluster.Gateway.Caching;

/// <summary>Settings of the completion cache (section <c>Gateway:Cache</c>).</summary>
public sealed class CompletionCacheOptions
{
    public const string SectionName = "Gateway:Cache";

    /// <summary>How long a result stays cached.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00", ErrorMessage = "Gateway:Cache:TimeToLive must lie between 1 second and 30 days.")]
    public TimeSpan TimeToLive { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Longest wait for Redis before a request goes on uncached; a slow cache must not slow requests.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:00:10", ErrorMessage = "Gateway:Cache:RedisTimeout must lie between 10 ms and 10 s.")]
    public TimeSpan RedisTimeout { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Prefix of every Redis key, so the cache can share a Redis with other data.</summary>
    [Required(AllowEmptyStrings = false)]
    public string KeyPrefix { get; set; } = "inference-cluster:completion:";

    /// <summary>Upper bound of the in-process cache, in entries.</summary>
    [Range(1, 10_000_000, ErrorMessage = "Gateway:Cache:MemoryEntries must lie between 1 and 10,000,000.")]
    public int MemoryEntries { get; set; } = 10_000;
}
