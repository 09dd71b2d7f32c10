using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using InferenceCluster.Contracts;
using InferenceCluster.Gateway.Caching;
using InferenceCluster.Gateway.Redis;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace InferenceCluster.Gateway.Tests;

// Timed with bounds far from both outcomes, and run alone, not beside tests that load the engine and start gateways.
[Collection(SerialTests.Name)]
public sealed class CompletionCacheTests
{
    private static readonly CachedCompletion Entry = new("text", FinishReason.Stop, 3, 4, "r1", [new TokenLogprob("t", -0.5, [])]);

    [Fact]
    public async Task MemoryCache_SetThenGet_ReturnsEntry()
    {
        using var cache = new MemoryCompletionCache(Options.Create(new CompletionCacheOptions()));

        Assert.Equal(CacheLookup.Miss, await cache.GetAsync("k", CancellationToken.None));
        await cache.SetAsync("k", Entry, CancellationToken.None);

        Assert.Equal(CacheLookup.Hit(Entry), await cache.GetAsync("k", CancellationToken.None));
    }

    [Fact]
    public async Task RedisCache_ServerUnreachable_UnavailableQuicklyAndNeverThrows()
    {
        // Port 1 on loopback: nothing listens, so every call must fail over to "uncached". The client's own
        // connect timeout (30 s) is far above the cache's 100 ms bound, so waiting for it would fail the test;
        // the 10 s allowed is generous for a loaded machine and still a third of that wait.
        await using var redis = Connect("127.0.0.1:1,connectTimeout=30000");
        var cache = Cache(redis);

        var watch = Stopwatch.StartNew();
        await cache.SetAsync("k", Entry, CancellationToken.None);
        var lookup = await cache.GetAsync("k", CancellationToken.None);

        // Not a miss: nothing was looked up, and the answer says so (bypass).
        Assert.Equal(CacheLookup.Unavailable, lookup);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task RedisCache_ServerStopsAnswering_BreakerOpensAndLookupsSkipRedisAtOnce()
    {
        // A server that accepts connections and never answers, as a paused (SIGSTOP) Redis does: every call
        // would wait the whole RedisTimeout without the breaker.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        // The client reconnects while the test runs, so sockets are accepted while others are being closed.
        var accepted = new ConcurrentQueue<Socket>();
        _ = Task.Run(async () =>
        {
            while (true)
            {
                try
                {
                    accepted.Enqueue(await silent.AcceptSocketAsync());
                }
                catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
                {
                    return;
                }
            }
        });
        await using var redis = Connect($"127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port},connectTimeout=200");
        var cache = Cache(redis);

        // Until the breaker opens, each lookup may wait up to the 100 ms bound.
        for (var i = 0; i < 8; i++)
        {
            Assert.Equal(CacheLookup.Unavailable, await cache.GetAsync($"warm-{i}", CancellationToken.None));
        }

        const int lookups = 1000;
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < lookups; i++)
        {
            Assert.Equal(CacheLookup.Unavailable, await cache.GetAsync($"k-{i}", CancellationToken.None));
        }

        // Without the breaker each lookup waits the 100 ms bound: 100 s in all. With it, a lookup takes
        // microseconds; 10 s in all is generous for a loaded machine and still a tenth of the wait.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"{lookups} lookups took {watch.Elapsed.TotalSeconds:0.000} s while Redis does not answer");
        silent.Stop();
        while (accepted.TryDequeue(out var socket))
        {
            socket.Dispose();
        }
    }

    private static RedisConnection Connect(string connectionString) =>
        new(connectionString, Options.Create(RedisSettings), TimeProvider.System, NullLogger<RedisConnection>.Instance);

    private static RedisCompletionCache Cache(RedisConnection redis) => new(redis, Options.Create(RedisSettings), Options.Create(new CompletionCacheOptions()));

    private static RedisOptions RedisSettings => new()
    {
        RedisTimeout = TimeSpan.FromMilliseconds(100),

        // Longer than the test: once open, the breaker must not let a probe through mid-measurement.
        RedisBreakDuration = TimeSpan.FromMinutes(1),
    };
}
