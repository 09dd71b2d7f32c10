namespace InferenceCluster.Gateway.Caching;

/// <summary>The cache used when <c>AddCompletionCache()</c> was not called: there is none to ask, so no lookup happens.</summary>
internal sealed class NoCompletionCache : ICompletionCache
{
    public ValueTask<CacheLookup> GetAsync(string key, CancellationToken cancellationToken) => ValueTask.FromResult(CacheLookup.Unavailable);

    public ValueTask SetAsync(string key, CachedCompletion completion, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
