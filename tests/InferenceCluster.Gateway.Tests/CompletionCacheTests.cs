using System.Diagnostics;
using InferenceCluster.Contracts;
using InferenceCluster.Gateway.Caching;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace InferenceCluster.Gateway.Tests;

public sealed class CompletionCacheTests
{
    private static readonly CachedCompletion Entry = new("text", FinishReason.Stop, 3, 4, "r1", [new TokenLogprob("t", -0.5, [])]);

    [Fact]
    public async Task MemoryCache_SetThenGet_ReturnsEntry()
    {
        using var cache = new MemoryCompletionCache(Options.Create(new CompletionCacheOptions()));

        Assert.Null(await cache.GetAsync("k", CancellationToken.None));
        await cache.SetAsync("k", Entry, CancellationToken.None);

        Assert.Equal(Entry, await cache.GetAsync("k", CancellationToken.None));
    }

    [Fact]
    public async Task RedisCache_ServerUnreachable_MissesQuicklyAndNeverThrows()
    {
        // Port 1 on loopback: nothing listens, so every call must fail over to "uncached".
        var options = Options.Create(new CompletionCacheOptions { RedisTimeout = TimeSpan.FromMilliseconds(250) });
        await using var cache = new RedisCompletionCache("127.0.0.1:1,connectTimeout=200", options, NullLogger<RedisCompletionCache>.Instance);

        var watch = Stopwatch.StartNew();
        await cache.SetAsync("k", Entry, CancellationToken.None);
        var hit = await cache.GetAsync("k", CancellationToken.None);

        Assert.Null(hit);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"took {watch.Elapsed}");
    }
}
