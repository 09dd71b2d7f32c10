namespace InferenceCluster.Gateway.Caching;

/// <summary>The cache used when <c>AddCompletionCache()</c> was not called: every lookup misses.</summary>
internal sealed class NoCompletionCache : ICompletionCache
{
    public ValueTask<CachedCompletion?> GetAsync(string key, CancellationToken cancellationToken) => ValueTask.FromResult<CachedCompletion?>(null);

    public ValueTask SetAsync(string key, CachedCompletion completion, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
