using InferenceCluster.Contracts;
using InferenceCluster.Gateway.Caching;
using InferenceCluster.Gateway.Redis;
using InferenceCluster.Gateway.Telemetry;
using InferenceCluster.ServiceDefaults.Telemetry;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace InferenceCluster.Gateway.Tests.Caching;

/// <summary>
/// A Redis that is full (used memory above its maxmemory, policy noeviction) refuses every store with OOM at once and still
/// answers lookups: the cache keeps serving what it holds, and the refusal is logged as what it is.
/// </summary>
public sealed class RedisFullTests
{
    private static readonly CachedCompletion Entry = new("text", FinishReason.Stop, 3, 4, "r1", []);

    [Fact]
    public async Task RedisCache_RedisFull_StoresRefusedLoggedAndCountedAsFullAndLookupsStillAnswered()
    {
        // Every refused store counted as a failure for the breaker: once they were half the calls it opened and lookups
        // were skipped too, while the log blamed Redis as "unavailable or slower than 250 ms".
        await using var server = await PrivateRedis.StartAsync();
        var log = new FakeLogger<RedisConnection>();
        var settings = Options.Create(new RedisOptions
        {
            // Generous for a loaded machine: this test is not about time.
            RedisTimeout = TimeSpan.FromSeconds(5),
            RedisBreakAfter = 4,

            // Longer than the test: an opened breaker stays open to the end.
            RedisBreakDuration = TimeSpan.FromMinutes(5),
        });
        var clock = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        await using var redis = new RedisConnection(server.Address, settings, clock, log);
        var cache = new RedisCompletionCache(redis, settings, Options.Create(new CompletionCacheOptions()));
        await StoreUntilFoundAsync(cache, "kept");
        using var errors = new MetricCollector<long>(null, GatewayTelemetry.SourceName, "inference_cluster.cache.errors");

        await server.ConfigSetAsync("maxmemory-policy", "noeviction");
        await server.ConfigSetAsync("maxmemory", "1");

        // More refused stores than answered lookups in the breaker's window, as when many answers are new at once.
        for (var i = 0; i < 8; i++)
        {
            await cache.SetAsync($"refused-{i}", Entry, CancellationToken.None);
        }

        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(Entry.Text, (await cache.GetAsync("kept", CancellationToken.None)).Entry?.Text);
            await cache.SetAsync($"refused-again-{i}", Entry, CancellationToken.None);
        }

        Assert.Equal(CacheLookup.Miss, await cache.GetAsync("refused-0", CancellationToken.None));
        var messages = log.Collector.GetSnapshot().Select(record => record.Message).ToList();
        // One line for the twelve refusals, not one each: a full Redis refuses every write for as long as it stays full.
        var full = Assert.Single(messages, message => message.StartsWith("Redis refused the cache store: it is full", StringComparison.Ordinal));
        Assert.Contains("maxmemory", full, StringComparison.Ordinal);
        Assert.Contains("1 writes refused since the last such line", full, StringComparison.Ordinal);
        Assert.DoesNotContain(messages, message => message.Contains("unavailable", StringComparison.Ordinal));
        Assert.DoesNotContain(messages, message => message.Contains("skipping it", StringComparison.Ordinal));

        // Counted apart from outages (they were all one count by operation, store, like Redis being down): an alert on
        // Redis failing can leave a full one out, and a panel can show it as the capacity problem it is.
        var refused = errors.GetMeasurementSnapshot()
            .Where(error => error.Tags.TryGetValue(TelemetryAttributes.ErrorType, out var type) && Equals(type, "redis_full")).ToList();
        Assert.Equal(12, refused.Sum(error => error.Value));
        Assert.All(refused, error => Assert.Equal("store", error.Tags[TelemetryAttributes.CacheOperation]));

        // A minute on, the next refusal is told again, with those left untold.
        clock.Advance(TimeSpan.FromMinutes(1));
        await cache.SetAsync("refused-later", Entry, CancellationToken.None);
        var later = log.Collector.GetSnapshot().Select(record => record.Message)
            .Where(message => message.StartsWith("Redis refused the cache store: it is full", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, later.Count);
        Assert.Contains("12 writes refused since the last such line", later[1], StringComparison.Ordinal);
    }

    /// <summary>Stores an entry until a lookup finds it: the connection is made in the background from the first call.</summary>
    private static async Task StoreUntilFoundAsync(RedisCompletionCache cache, string key)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            await cache.SetAsync(key, Entry, CancellationToken.None);
            if ((await cache.GetAsync(key, CancellationToken.None)).Entry?.Text == Entry.Text)
            {
                return;
            }

            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(30), "the cache did not store in a running Redis within 30 s");
            await Task.Delay(100);
        }
    }
}
