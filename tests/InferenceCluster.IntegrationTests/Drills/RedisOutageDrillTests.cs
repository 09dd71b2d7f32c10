using StackExchange.Redis;
using Xunit.Abstractions;

namespace InferenceCluster.IntegrationTests.Drills;

/// <summary>
/// Redis killed (SIGKILL) under a load of cached requests, then started again: no request fails, an outage
/// costs a request no more than the cache it cannot use, such a request says it was not looked up (bypass, never
/// miss), and the cache is used again once Redis is back.
/// </summary>
[Collection(DrillCollection.Name)]
public sealed class RedisOutageDrillTests(ITestOutputHelper output)
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
        // Only Redis breaks here: the cluster's queues (a model of its own) on the run's RabbitMQ meet no other test's.
        await using var drill = await OutageCluster.StartAsync(ownBroker: false);
        var (servers, cluster, gateway) = (drill.Servers, drill.Cluster, drill.Gateway);
        var prompts = Enumerable.Range(0, Prompts).Select(i => $"Redis drill {cluster.Run} prompt {i}: name a colour.").ToArray();

        // Every prompt once, so that workers answer and Redis stores the answers.
        var warm = await Task.WhenAll(prompts.Select(prompt => gateway.AskAsync(DrillRequest.Greedy(prompt, stream: false, MaxTokens))));

        // The gateway connects to Redis in the background from its first request on; until then it stores nothing.
        for (var round = 0; round < 20 && await EntriesAsync(servers) < Prompts; round++)
        {
            await Task.WhenAll(prompts.Select(prompt => gateway.AskAsync(DrillRequest.Greedy(prompt, stream: false, MaxTokens))));
            await Task.Delay(250);
        }

        Assert.Equal(Prompts, await EntriesAsync(servers));

        // The baseline: the same loops, answered by workers (every prompt new), on warm workers.
        var fresh = new DrillLoops(gateway, Loops, (loop, n) =>
            DrillRequest.Greedy($"Redis drill {cluster.Run} fresh {loop}-{n}: name a colour.", stream: n % 2 == 0, MaxTokens));
        await Task.Delay(Phase);
        await fresh.StopAsync();
        var uncached = fresh.All;

        var loadFrom = DateTime.UtcNow;
        var load = new DrillLoops(gateway, Loops, (loop, n) => DrillRequest.Greedy(prompts[(loop * 5 + n) % Prompts], stream: n % 2 == 0, MaxTokens));
        await Task.Delay(Phase);
        var killedAt = DateTime.UtcNow;
        await servers.KillRedisAsync();
        await Task.Delay(Phase);
        var restartedAt = DateTime.UtcNow;
        await servers.StartRedisAsync();
        var refilled = await WaitForEntriesAsync(servers, 1);
        var backAt = DateTime.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(2));
        await load.StopAsync();

        var cached = load.Between(loadFrom, killedAt);
        var outage = load.Between(killedAt, restartedAt);
        var after = load.Between(backAt, DateTime.MaxValue);
        DrillFigures.Print(output, DrillFigures.Describe("redis drill, uncached (workers answer)", uncached));
        DrillFigures.Print(output, DrillFigures.Describe("redis drill, cached", cached));
        DrillFigures.Print(output, DrillFigures.Describe("redis drill, redis killed", outage));
        DrillFigures.Print(output, DrillFigures.Describe("redis drill, redis back", after));
        DrillFigures.Print(output, $"redis drill: cache used again {(backAt - restartedAt).TotalSeconds:0.0} s after Redis restarted ({refilled} entries)");

        // One line per change of state (unreachable, breaker open, back), not one per call with its stack trace until the
        // breaker opened (210 in a run of this drill: the breaker's window was full of the cached load's successes).
        // Counted up to the restart: a machine this loaded times a call out now and then, which is news again afterwards.
        const string RedisWarning = "warn: InferenceCluster.Gateway.Redis.RedisConnection";
        var redisWarnings = gateway.Process.CountSince(RedisWarning, killedAt) - gateway.Process.CountSince(RedisWarning, restartedAt);
        DrillFigures.Print(output, $"redis drill: {redisWarnings} Redis warnings while Redis was down, {gateway.Process.CountSince("Redis at", killedAt)} Redis lines from the kill on");
        Assert.True(redisWarnings <= 4, $"the gateway logged {redisWarnings} Redis warnings while Redis was down\n{cluster.Output()}");

        Assert.All(warm.Concat(uncached).Concat(load.All), answer => Assert.True(answer.Succeeded, answer.ToString()));
        Assert.NotEmpty(outage);

        // Every prompt was stored before the kill, so a lookup that reached Redis hit, and one that could not says bypass;
        // only answers ended before the restart count (a later lookup may find the restarted Redis empty: a true miss).
        var down = outage.Where(answer => answer.EndedAt < restartedAt).ToList();
        Assert.All(down, answer => Assert.True(answer.Cache is "hit" or "bypass", $"{answer}: X-Inference-Cache {answer.Cache ?? "absent"}"));
        Assert.Contains(down, answer => answer.Cache == "bypass");
        Assert.True(
            DrillFigures.Percentile(outage, 0.5) <= DrillFigures.Percentile(uncached, 0.5) + SanityMargin.TotalMilliseconds,
            $"While Redis was down a request took p50 {DrillFigures.Percentile(outage, 0.5):0.0} ms; answered by a worker it takes {DrillFigures.Percentile(uncached, 0.5):0.0} ms.");
    }

    /// <summary>Waits until Redis holds at least <paramref name="count"/> entries (the gateway stores just after answering).</summary>
    private static async Task<long> WaitForEntriesAsync(PrivateServers servers, int count)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < until)
        {
            if (await EntriesAsync(servers) is var size && size >= count)
            {
                return size;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"Redis at {servers.Redis} did not hold {count} cache entries within 30 s.");
    }

    private static async Task<long> EntriesAsync(PrivateServers servers)
    {
        var options = ConfigurationOptions.Parse(servers.Redis);
        options.AbortOnConnectFail = false;
        await using var redis = await ConnectionMultiplexer.ConnectAsync(options);
        return redis.IsConnected ? await redis.GetServers()[0].DatabaseSizeAsync() : 0;
    }
}
