using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace InferenceCluster.Gateway.Caching;

/// <summary>The in-process cache used when no Redis is configured (single gateway, development).</summary>
internal sealed class MemoryCompletionCache : ICompletionCache, IDisposable
{
    private readonly MemoryCache _cache;
    private readonly TimeSpan _timeToLive;

    public MemoryCompletionCache(IOptions<CompletionCacheOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _timeToLive = options.Value.TimeToLive;
        _cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = options.Value.MemoryEntries });
    }

    public ValueTask<CacheLookup> GetAsync(string key, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_cache.TryGetValue(key, out CachedCompletion? hit) && hit is not null ? CacheLookup.Hit(hit) : CacheLookup.Miss);

    public ValueTask SetAsync(string key, CachedCompletion completion, CancellationToken cancellationToken)
    {
        _cache.Set(key, completion, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = _timeToLive });
        return ValueTask.CompletedTask;
    }

    public void Dispose() => _cache.Dispose();
}
