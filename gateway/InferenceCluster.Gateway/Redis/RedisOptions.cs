using System.ComponentModel.DataAnnotations;

namespace InferenceCluster.Gateway.Redis;

/// <summary>
/// Settings of the gateway's one Redis connection, shared by the cache and the rate counts. They stay in the
/// section <c>Gateway:Cache</c>, beside the cache's own settings, where operators have always set them.
/// </summary>
public sealed class RedisOptions
{
    public const string SectionName = "Gateway:Cache";

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

    /// <summary>Prefix of every Redis key (cached answers, rate counts), so the gateway can share a Redis with other data.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "Gateway:Cache:KeyPrefix must not be empty.")]
    public string KeyPrefix { get; set; } = "inference-cluster:completion:";
}
