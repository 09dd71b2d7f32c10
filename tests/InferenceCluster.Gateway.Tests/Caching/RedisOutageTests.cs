using InferenceCluster.Gateway.Redis;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using Polly.Timeout;
using StackExchange.Redis;

namespace InferenceCluster.Gateway.Tests.Caching;

/// <summary>The lines of a Redis outage in the order Polly and <see cref="RedisConnection"/> report its events.</summary>
public sealed class RedisOutageTests
{
    private static readonly TimeSpan BreakDuration = TimeSpan.FromSeconds(30);

    private readonly FakeTimeProvider _clock = new();
    private readonly FakeLogger _log = new();
    private readonly RedisOutage _outage;

    public RedisOutageTests() => _outage = new RedisOutage(_clock, _log, "127.0.0.1:6379", TimeSpan.FromSeconds(1));

    [Fact]
    public void BreakerOpened_BeforeTheFailedCallThatOpenedIt_OneBreakerWarning()
    {
        // Polly runs OnOpened inside the call that trips the breaker, before the call's failure reaches its catch.
        _outage.BreakerOpened(BreakDuration);
        _outage.Skipped("cache lookup", new TimeoutException("timed out"));
        _outage.Skipped("cache lookup", null);
        _clock.Advance(BreakDuration);
        _outage.BreakerOpened(BreakDuration);
        _outage.Skipped("cache lookup", new TimeoutException("timed out"));

        Assert.Single(Warnings(), message => message.Contains("its breaker is open", StringComparison.Ordinal));
    }

    [Fact]
    public void BreakerOpened_ByTheOutagesFirstFailedCall_UnreachableWarnedFirst()
    {
        // A breaker that opens on the outage's first failure (after the successes that filled its window): Polly runs OnOpened
        // inside that call, before its failure reaches RedisConnection's catch, and the breaker's line came first.
        _outage.BreakerOpened(BreakDuration);
        _outage.Skipped("cache lookup", new TimeoutException("timed out"));
        _outage.Skipped("cache lookup", null);

        var warnings = Warnings();
        Assert.Equal(2, warnings.Count);
        Assert.Contains("is unreachable or too slow", warnings[0], StringComparison.Ordinal);
        Assert.Contains("its breaker is open", warnings[1], StringComparison.Ordinal);
    }

    [Fact]
    public void BreakerOpened_InTheNextOutage_WarnedAgain()
    {
        _outage.Skipped("cache lookup", new TimeoutException("timed out"));
        _outage.BreakerOpened(BreakDuration);
        _outage.Answered();
        _outage.BreakerOpened(BreakDuration);
        _outage.Skipped("cache lookup", new TimeoutException("timed out"));

        Assert.Equal(2, Warnings().Count(message => message.Contains("its breaker is open", StringComparison.Ordinal)));
    }

    [Fact]
    public void Skipped_TheThreeTimeoutTypes_OneCauseOneWarning()
    {
        _outage.Skipped("cache lookup", new RedisTimeoutException(CommandFlags.None, "Timeout awaiting response", CommandStatus.Sent));
        _outage.Skipped("cache lookup", new TimeoutRejectedException("The operation didn't complete within the allowed timeout"));
        _outage.Skipped("cache store", new TimeoutException("The operation has timed out."));

        Assert.Single(Warnings());
    }

    [Fact]
    public void Skipped_RefusedPasswordAfterAnOutage_WarnedAsNews()
    {
        _outage.Skipped("cache lookup", Connection(ConnectionFailureType.UnableToConnect, "It was not possible to connect"));
        _outage.Skipped("cache lookup", Connection(ConnectionFailureType.SocketFailure, "SocketFailure on 127.0.0.1:6379"));
        _outage.Skipped("cache lookup", Connection(ConnectionFailureType.AuthenticationFailure, "WRONGPASS invalid username-password pair"));

        var warnings = Warnings();
        Assert.Equal(2, warnings.Count);
        Assert.Contains("now fails otherwise at the cache lookup (RedisConnectionException: WRONGPASS", warnings[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Skipped_ErrorsCarryingTheConnectionString_NoLineCarriesUserOrPassword()
    {
        // The client's errors may repeat its configuration (password=…) or a redis:// address with its user.
        const string Said = "on redis://alice:hunter2@127.0.0.1:6379 (127.0.0.1:6379,user=alice,password=secret)";
        _outage.Skipped("cache lookup", Connection(ConnectionFailureType.UnableToConnect, "It was not possible to connect " + Said));
        _outage.Skipped("cache lookup", new TimeoutException("timed out " + Said));
        _outage.Skipped("cache store", Connection(ConnectionFailureType.AuthenticationFailure, "WRONGPASS " + Said));
        _outage.Skipped("cache store", Connection(ConnectionFailureType.AuthenticationFailure, "WRONGPASS " + Said));

        var lines = _log.Collector.GetSnapshot();
        Assert.Equal(4, lines.Count);
        Assert.Contains("(RedisConnectionException: It was not possible to connect on redis://***@127.0.0.1:6379 (", lines[0].Message, StringComparison.Ordinal);
        Assert.All(lines, line => Assert.DoesNotMatch("alice|hunter2|secret", line.Message));
    }

    private static RedisConnectionException Connection(ConnectionFailureType type, string message) =>
        new(type, CommandFlags.None, message, innerException: null, CommandStatus.Unknown);

    private List<string> Warnings() =>
        _log.Collector.GetSnapshot().Where(record => record.Level >= LogLevel.Warning).Select(record => record.Message).ToList();
}
