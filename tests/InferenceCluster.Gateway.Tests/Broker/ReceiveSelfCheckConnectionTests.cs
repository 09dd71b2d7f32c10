using InferenceCluster.Gateway.Broker;
using InferenceCluster.Gateway.Configuration;
using InferenceCluster.Gateway.Tests.Fakes;
using InferenceCluster.ServiceDefaults;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;

namespace InferenceCluster.Gateway.Tests.Broker;

/// <summary>The self-check connects again an endpoint left without a connection, which MassTransit never retries.</summary>
public sealed class ReceiveSelfCheckConnectionTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    // A test moves the clock only once the check's own thread waits on it; moved earlier, the check would wait for a
    // whole further interval.
    private readonly WatchedClock _clock = new();
    private readonly ReceiveProbes _probes = new();
    private readonly FakeLogger<ReceiveSelfCheck> _log = new();

    [Fact]
    public async Task CheckAll_EndpointLeftWithoutConnection_ConnectsItAgainEachRoundUntilItWorks()
    {
        // A replacement whose connection failed: MassTransit knows nothing of it, so nothing else would retry.
        var endpoint = new FakeProbedEndpoint("replies", _probes)
        {
            IsConnected = false,
            IsReady = false,
            ConnectFailure = new InvalidOperationException("the bus is not started"),
        };
        using var check = NewCheck(endpoint);

        await check.CheckAllAsync(CancellationToken.None);
        Assert.False(endpoint.IsConnected);
        var warning = Assert.Single(_log.Collector.GetSnapshot(), record => record.Level == LogLevel.Warning);
        Assert.Contains("Could not connect the receive endpoint replies", warning.Message, StringComparison.Ordinal);
        Assert.Contains("the bus is not started", warning.Message, StringComparison.Ordinal);

        endpoint.ConnectFailure = null;
        await check.CheckAllAsync(CancellationToken.None);
        Assert.Equal(2, endpoint.ConnectAttempts);
        Assert.True(endpoint.IsConnected);

        await check.CheckAllAsync(CancellationToken.None);
        Assert.Equal(2, endpoint.ConnectAttempts);
    }

    [Fact]
    public async Task Run_ReplacementCouldNotConnect_TriesAgainAfterASecondNotAnInterval()
    {
        // The reply queue has no consumer meanwhile, and expires after Gateway:ReplyQueueExpiry.
        var endpoint = new FakeProbedEndpoint("replies", _probes) { Receives = false, ReplaceFailure = new InvalidOperationException("the bus is stopping") };
        using var check = NewCheck(endpoint);
        await check.StartAsync(CancellationToken.None);
        try
        {
            await _clock.WaitForWaiterAsync(Interval);
            _clock.Advance(Interval);
            await Eventually.TrueAsync(() => endpoint.ProbesSent == 1);
            await _clock.WaitForWaiterAsync(Timeout);
            _clock.Advance(Timeout);
            await Eventually.TrueAsync(() => !endpoint.IsConnected);
            await _clock.WaitForWaiterAsync(ReceiveSelfCheck.RetrySoon);
            var attempts = endpoint.ConnectAttempts;

            _clock.Advance(ReceiveSelfCheck.RetrySoon);
            await Eventually.TrueAsync(() => endpoint.ConnectAttempts == attempts + 1);
            Assert.True(endpoint.IsConnected);
        }
        finally
        {
            await check.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task CheckAll_ReplacementCouldNotConnect_SaysSoInTheLog()
    {
        var endpoint = new FakeProbedEndpoint("replies", _probes) { Receives = false, ReplaceFailure = new InvalidOperationException("the bus is stopping") };
        using var check = NewCheck(endpoint);

        var checking = check.CheckAllAsync(CancellationToken.None);
        _clock.Advance(Timeout);
        await checking.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Single(endpoint.Replacements);
        var warnings = _log.Collector.GetSnapshot().Where(record => record.Level == LogLevel.Warning).Select(record => record.Message).ToList();
        Assert.Contains(warnings, message => message.StartsWith("Could not connect the receive endpoint replies", StringComparison.Ordinal)
            && message.Contains("the bus is stopping", StringComparison.Ordinal));
        Assert.DoesNotContain(warnings, message => message.StartsWith("Checking that the gateway receives", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_EndpointCameBackWhileProbeWasOut_ProbesItAgainAfterASecond()
    {
        // MassTransit reported it ready twice without a not-ready in between, which wakes no round.
        var endpoint = new FakeProbedEndpoint("heartbeats", _probes) { Receives = false };
        using var check = NewCheck(endpoint);
        await check.StartAsync(CancellationToken.None);
        try
        {
            await _clock.WaitForWaiterAsync(Interval);
            _clock.Advance(Interval);
            await Eventually.TrueAsync(() => endpoint.ProbesSent == 1);
            endpoint.ReadyEpoch++;
            await _clock.WaitForWaiterAsync(Timeout);
            _clock.Advance(Timeout);
            await _clock.WaitForWaiterAsync(ReceiveSelfCheck.RetrySoon);

            _clock.Advance(ReceiveSelfCheck.RetrySoon);
            await Eventually.TrueAsync(() => endpoint.ProbesSent == 2);
            Assert.Empty(endpoint.Replacements);
        }
        finally
        {
            await check.StopAsync(CancellationToken.None);
        }
    }

    private ReceiveSelfCheck NewCheck(FakeProbedEndpoint endpoint) => new(
        [endpoint],
        _probes,
        Options.Create(new GatewayOptions { ReceiveProbeInterval = Interval, ReceiveProbeTimeout = Timeout }),
        _clock,
        _log);
}
