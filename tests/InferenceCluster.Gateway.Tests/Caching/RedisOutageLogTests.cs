using InferenceCluster.Gateway.Redis;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace InferenceCluster.Gateway.Tests.Caching;

/// <summary>What an operator reads of a Redis outage: one line per change of state, however many calls it skips.</summary>
public sealed class RedisOutageLogTests
{
    private const int Calls = 40;
    private static readonly TimeSpan BreakDuration = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task TryAsync_RedisDownForManyCallsThenBack_OneLinePerStateChange()
    {
        await using var server = await PrivateRedis.StartAsync();
        var log = new FakeLogger<RedisConnection>();
        var clock = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var settings = Options.Create(new RedisOptions
        {
            // Generous for a loaded machine: this test is not about time.
            RedisTimeout = TimeSpan.FromSeconds(5),
            RedisBreakAfter = 4,
            RedisBreakDuration = BreakDuration,
        });
        await using var redis = new RedisConnection(server.Address, settings, clock, log);
        await UntilAnsweredAsync(redis, clock);

        await server.StopAsync();
        for (var i = 0; i < Calls; i++)
        {
            Assert.NotNull((await CallAsync(redis)).Failure);
        }

        var warnings = log.Collector.GetSnapshot().Where(record => record.Level >= LogLevel.Warning).Select(record => record.Message).ToList();
        var unreachable = Assert.Single(warnings, message => message.Contains("is unreachable or too slow", StringComparison.Ordinal));
        Assert.StartsWith($"Redis at {server.Address} is unreachable or too slow (", unreachable, StringComparison.Ordinal);
        Assert.Single(warnings, message => message.Contains("its breaker is open", StringComparison.Ordinal));

        // A first call that found the connection still up times out, the next ones find it down: two kinds at most.
        Assert.InRange(warnings.Count, 2, 3);

        await server.StartAgainAsync();
        await UntilAnsweredAsync(redis, clock);
        await CallAsync(redis);

        var records = log.Collector.GetSnapshot();
        var back = Assert.Single(records, record => record.Level == LogLevel.Information);
        Assert.Matches($"^Redis at {server.Address} answers again, after [0-9.]+ s away; calls that went without it: [0-9]+;", back.Message);
        Assert.Equal(warnings.Count, records.Count(record => record.Level >= LogLevel.Warning));
        Assert.All(records, record => Assert.Null(record.Exception));
    }

    private static ValueTask<(string? Failure, bool Result)> CallAsync(RedisConnection redis) =>
        redis.TryAsync("cache lookup", database => database.KeyExistsAsync("inference-cluster-test:outage"), CancellationToken.None);

    /// <summary>Calls until one is answered (the client connects and reconnects in the background), letting the breaker probe each time.</summary>
    private static async Task UntilAnsweredAsync(RedisConnection redis, FakeTimeProvider clock)
    {
        redis.BeginConnecting();
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while ((await CallAsync(redis)).Failure is { } failure)
        {
            Assert.True(DateTime.UtcNow < until, $"Redis did not answer within 60 s (last: {failure})");
            clock.Advance(BreakDuration);
            await Task.Delay(100);
        }
    }
}
