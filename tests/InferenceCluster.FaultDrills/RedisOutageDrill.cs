using InferenceCluster.FaultDrills.Cluster;
using StackExchange.Redis;

namespace InferenceCluster.FaultDrills;

/// <summary>
/// Redis killed (SIGKILL) under a load of cached requests, then started again: no request fails, an outage
/// costs a request no more than the cache it cannot use, and the cache is used again once Redis is back.
/// </summary>
[Collection(DrillCollection.Name)]
public sealed class RedisOutageDrill(DrillCluster cluster, ITestOutputHelper output)
{
    private const int Loops = 4;
    private const int Prompts = 16;
    private const int MaxTokens = 8;

    /// <summary>Generous (machines running these are busy): skipping a dead Redis is meant to cost under a millisecond; it cost 500 ms.</summary>
    private static readonly TimeSpan SanityMargin = TimeSpan.FromMilliseconds(400);

    private static readonly TimeSpan Phase = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task RedisKilledUnderCachedLoad_NoRequestFailsAndCacheComesBack()
    {
        var prompts = Enumerable.Range(0, Prompts).Select(i => $"Redis drill {cluster.Run} prompt {i}: name a colour.").ToArray();

        // Every prompt once, so that workers answer and Redis stores the answers.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var warm = await Task.WhenAll(prompts.Select(prompt => Completions.SendAsync(cluster.Http, prompt, stream: false, MaxTokens, clock)));

        // The gateway connects to Redis in the background from its first request on; until then it stores nothing.
        for (var round = 0; round < 20 && await EntriesAsync() < Prompts; round++)
        {
            await Task.WhenAll(prompts.Select(prompt => Completions.SendAsync(cluster.Http, prompt, stream: false, MaxTokens, clock)));
            await Task.Delay(250);
        }

        Assert.Equal(Prompts, await EntriesAsync());

        // The baseline: the same loops, answered by workers (every prompt new), on warm workers.
        var fresh = new LoadLoops(Loops, (loop, n) =>
            Completions.SendAsync(cluster.Http, $"Redis drill {cluster.Run} fresh {loop}-{n}: name a colour.", stream: n % 2 == 0, MaxTokens, clock));
        await Task.Delay(Phase);
        await fresh.StopAsync();
        var uncached = fresh.All;

        var loadFrom = clock.Elapsed;
        var load = new LoadLoops(Loops, (loop, n) => Completions.SendAsync(cluster.Http, prompts[(loop * 5 + n) % Prompts], stream: n % 2 == 0, MaxTokens, clock));
        await Task.Delay(Phase);
        var killedAt = clock.Elapsed;
        await cluster.Servers.KillRedisAsync();
        await Task.Delay(Phase);
        var restartedAt = clock.Elapsed;
        await cluster.Servers.StartRedisAsync();
        var refilled = await WaitForEntriesAsync(1);
        var backAt = clock.Elapsed;
        await Task.Delay(TimeSpan.FromSeconds(2));
        await load.StopAsync();

        var cached = load.Between(loadFrom, killedAt);
        var outage = load.Between(killedAt, restartedAt);
        var after = load.Between(backAt, TimeSpan.MaxValue);
        Figures.Print(output, Figures.Describe("redis drill, uncached (workers answer)", uncached));
        Figures.Print(output, Figures.Describe("redis drill, cached", cached));
        Figures.Print(output, Figures.Describe("redis drill, redis killed", outage));
        Figures.Print(output, Figures.Describe("redis drill, redis back", after));
        Figures.Print(output, $"redis drill: cache used again {(backAt - restartedAt).TotalSeconds:0.0} s after Redis restarted ({refilled} entries)");

        Assert.All(warm.Concat(uncached).Concat(load.All), outcome => Assert.True(outcome.Ok, outcome.Failure));
        Assert.NotEmpty(outage);
        Assert.True(
            Figures.Percentile(outage, 0.5) <= Figures.Percentile(uncached, 0.5) + SanityMargin.TotalMilliseconds,
            $"While Redis was down a request took p50 {Figures.Percentile(outage, 0.5):0.0} ms; answered by a worker it takes {Figures.Percentile(uncached, 0.5):0.0} ms.");
    }

    /// <summary>Waits until Redis holds at least <paramref name="count"/> entries (the gateway stores just after answering).</summary>
    private async Task<long> WaitForEntriesAsync(int count)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < until)
        {
            if (await EntriesAsync() is var size && size >= count)
            {
                return size;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"Redis at {cluster.Servers.Redis} did not hold {count} cache entries within 30 s.");
    }

    private async Task<long> EntriesAsync()
    {
        var options = ConfigurationOptions.Parse(cluster.Servers.Redis);
        options.AbortOnConnectFail = false;
        await using var redis = await ConnectionMultiplexer.ConnectAsync(options);
        return redis.IsConnected ? await redis.GetServers()[0].DatabaseSizeAsync() : 0;
    }
}
