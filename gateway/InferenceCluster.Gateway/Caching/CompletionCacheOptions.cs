using System.ComponentModel.DataAnnotations;

namespace InferenceCluster.Gateway.Caching;

/// <summary>Settings of the completion cache (section <c>Gateway:Cache</c>).</summary>
public sealed class CompletionCacheOptions
{
    public const string SectionName = "Gateway:Cache";

    /// <summary>How long a result stays cached.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00", ErrorMessage = "Gateway:Cache:TimeToLive must lie between 1 second and 30 days.")]
    public TimeSpan TimeToLive { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Longest wait for one Redis call (cache, rate counts) before a request goes on without it; a slow Redis must not slow requests.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:00:10", ErrorMessage = "Gateway:Cache:RedisTimeout must lie between 10 ms and 10 s.")]
    public TimeSpan RedisTimeout { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// How long Redis is skipped (no call made, no wait) once its calls keep failing; then one call probes it, and
    /// a success puts it back in use.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00", ErrorMessage = "Gateway:Cache:RedisBreakDuration must lie between 100 ms and 10 minutes.")]
    public TimeSpan RedisBreakDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Fewest Redis calls within 10 s, at least half of them failed, before Redis is skipped.</summary>
    [Range(2, 1000, ErrorMessage = "Gateway:Cache:RedisBreakAfter must lie between 2 and 1000.")]
    public int RedisBreakAfter { get; set; } = 4;

    /// <summary>Prefix of every Redis key, so the cache can share a Redis with other data.</summary>
    [Required(AllowEmptyStrings = false)]
    public string KeyPrefix { get; set; } = "inference-cluster:completion:";

    /// <summary>Upper bound of the in-process cache, in entries.</summary>
    [Range(1, 10_000_000, ErrorMessage = "Gateway:Cache:MemoryEntries must lie between 1 and 10,000,000.")]
    public int MemoryEntries { get; set; } = 10_000;
}
