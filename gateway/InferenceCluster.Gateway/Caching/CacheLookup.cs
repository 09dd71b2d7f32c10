namespace InferenceCluster.Gateway.Caching;

/// <summary>
/// What one cache lookup found: an entry (a hit), none (a miss: the cache was asked and holds nothing), or nothing
/// because the cache could not be asked (Redis down, slow or behind its open breaker, or no cache configured), which the
/// answer reports as not looked up rather than as a miss.
/// </summary>
internal readonly record struct CacheLookup(CachedCompletion? Entry, bool Consulted)
{
    public static CacheLookup Miss => new(null, Consulted: true);

    public static CacheLookup Unavailable => new(null, Consulted: false);

    public static CacheLookup Hit(CachedCompletion entry) => new(entry, Consulted: true);
}
