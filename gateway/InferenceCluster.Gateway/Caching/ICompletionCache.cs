namespace InferenceCluster.Gateway.Caching;

/// <summary>
/// Results of deterministic requests by cache key. Implementations never throw for a cache that is
/// down: a lookup then reports <see cref="CacheLookup.Unavailable"/> and a store is skipped, so the request is served uncached.
/// </summary>
internal interface ICompletionCache
{
    ValueTask<CacheLookup> GetAsync(string key, CancellationToken cancellationToken);

    ValueTask SetAsync(string key, CachedCompletion completion, CancellationToken cancellationToken);
}
