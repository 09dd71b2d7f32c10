using System.ComponentModel.DataAnnotations;

namespace InferenceCluster.Gateway.Caching;

/// <summary>
/// Settings of the completion cache (section <c>Gateway:Cache</c>); the Redis connection's settings in the same
/// section are <see cref="Redis.RedisOptions"/>.
/// </summary>
public sealed class CompletionCacheOptions
{
    public const string SectionName = "Gateway:Cache";

    /// <summary>How long a result stays cached.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00", ErrorMessage = "Gateway:Cache:TimeToLive must lie between 1 second and 30 days.")]
    public TimeSpan TimeToLive { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Upper bound of the in-process cache, in entries.</summary>
    [Range(1, 10_000_000, ErrorMessage = "Gateway:Cache:MemoryEntries must lie between 1 and 10,000,000.")]
    public int MemoryEntries { get; set; } = 10_000;
}
