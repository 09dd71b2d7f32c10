using InferenceCluster.Gateway.Auth;
using InferenceCluster.Gateway.Policy;
using InferenceCluster.Gateway.Redis;
using InferenceCluster.Gateway.Tests.Fakes;
using Microsoft.Extensions.Options;

namespace InferenceCluster.Gateway.Tests.Policy;

/// <summary>The per-key rate without Redis: the same clock minutes Redis counts, and the wait until the next one.</summary>
public sealed class KeyRateLimiterTests
{
    private static readonly ApiKeyIdentity Key = new("limited", new KeyPolicy { RequestsPerMinute = 2 });

    [Fact]
    public async Task TryAcquire_OverTheRate_WaitIsUntilTheMinuteTurns()
    {
        var clock = ClockAt(secondOfMinute: 50);
        var limiter = new KeyRateLimiter(clock, Options.Create(new RedisOptions()));

        var first = await limiter.TryAcquireAsync(Key, CancellationToken.None);
        var second = await limiter.TryAcquireAsync(Key, CancellationToken.None);
        var third = await limiter.TryAcquireAsync(Key, CancellationToken.None);

        Assert.Equal((true, 2, 1), (first!.Allowed, first.Limit, first.Remaining));
        Assert.Equal((true, 2, 0), (second!.Allowed, second.Limit, second.Remaining));
        Assert.Equal((false, 2, 0), (third!.Allowed, third.Limit, third.Remaining));
        Assert.InRange(third.Reset, TimeSpan.FromSeconds(9), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task TryAcquire_KeyWithoutRate_Null()
    {
        var limiter = new KeyRateLimiter(new ShiftableClock(), Options.Create(new RedisOptions()));

        Assert.Null(await limiter.TryAcquireAsync(new ApiKeyIdentity("open", new KeyPolicy()), CancellationToken.None));
    }

    [Fact]
    public async Task TryAcquire_NextMinute_CountsAfresh()
    {
        var clock = ClockAt(secondOfMinute: 50);
        var limiter = new KeyRateLimiter(clock, Options.Create(new RedisOptions()));
        await limiter.TryAcquireAsync(Key, CancellationToken.None);
        await limiter.TryAcquireAsync(Key, CancellationToken.None);

        clock.Offset += TimeSpan.FromSeconds(10);

        Assert.True((await limiter.TryAcquireAsync(Key, CancellationToken.None))!.Allowed);
        Assert.True((await limiter.TryAcquireAsync(Key, CancellationToken.None))!.Allowed);
        Assert.False((await limiter.TryAcquireAsync(Key, CancellationToken.None))!.Allowed);
    }

    /// <summary>A clock that reads <paramref name="secondOfMinute"/> seconds into a minute now (and runs on from there).</summary>
    private static ShiftableClock ClockAt(int secondOfMinute)
    {
        var clock = new ShiftableClock();
        var now = clock.GetUtcNow();
        var minuteStart = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds() / 60 * 60);
        clock.Offset = minuteStart.AddSeconds(secondOfMinute) - now;
        return clock;
    }
}
