using System.Diagnostics;
using InferenceCluster.Contracts;
using InferenceCluster.Gateway.Caching;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace InferenceCluster.Gateway.Tests;

// Timing-sensitive: run alone, not beside tests that load the engine and start gateways.
[Collection(SerialTests.Name)]
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
        // Port 1 on loopback: nothing listens, so every call must fail over to "uncached". The client's own
        // connect timeout (5 s) is far above the cache's 250 ms bound, so waiting for it would fail the test.
        var options = Options.Create(new CompletionCacheOptions { RedisTimeout = TimeSpan.FromMilliseconds(250) });
        await using var cache = new RedisCompletionCache("127.0.0.1:1,connectTimeout=5000", options, NullLogger<RedisCompletionCache>.Instance);

        var watch = Stopwatch.StartNew();
        await cache.SetAsync("k", Entry, CancellationToken.None);
        var hit = await cache.GetAsync("k", CancellationToken.None);

        Assert.Null(hit);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"took {watch.Elapsed}");
    }
}
