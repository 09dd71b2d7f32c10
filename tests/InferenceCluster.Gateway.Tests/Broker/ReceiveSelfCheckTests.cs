using InferenceCluster.Gateway.Broker;
using InferenceCluster.Gateway.Configuration;
using InferenceCluster.Gateway.Tests.Fakes;
using InferenceCluster.ServiceDefaults;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;

namespace InferenceCluster.Gateway.Tests.Broker;

public sealed class ReceiveSelfCheckTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    // Real time given to a wrong outcome to show before a test says it did not happen; nothing waits on it to go on
    // (a test moves the clock once the check waits on it: WatchedClock.WaitForWaiterAsync).
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(250);

    private readonly WatchedClock _clock = new();
    private readonly ReceiveProbes _probes = new();
    private readonly FakeLogger<ReceiveSelfCheck> _log = new();

    [Fact]
    public async Task CheckAll_ProbeArrives_KeepsEndpoint()
    {
        var endpoint = new FakeProbedEndpoint("replies", _probes);
        using var check = NewCheck(endpoint);

        await check.CheckAllAsync(CancellationToken.None);

        Assert.Equal(1, endpoint.ProbesSent);
        Assert.Empty(endpoint.Replacements);
        Assert.Equal(0, _probes.Count);
    }

    [Fact]
    public async Task CheckAll_ProbeTakenButNotDelivered_ReplacesEndpointOnceTimeoutPasses()
    {
        var endpoint = new FakeProbedEndpoint("replies", _probes) { Receives = false };
        using var check = NewCheck(endpoint);

        var checking = check.CheckAllAsync(CancellationToken.None);
        _clock.Advance(Timeout - TimeSpan.FromMilliseconds(1));
        await Task.Delay(Settle);
        Assert.False(checking.IsCompleted);
        Assert.Empty(endpoint.Replacements);

        _clock.Advance(TimeSpan.FromMilliseconds(1));
        await checking.WaitAsync(TimeSpan.FromSeconds(10));

        var reason = Assert.Single(endpoint.Replacements);
        Assert.Contains("probe did not arrive within 5 s", reason, StringComparison.Ordinal);
        var warning = Assert.Single(_log.Collector.GetSnapshot(), record => record.Level == LogLevel.Warning);
        Assert.Contains("Not receiving on replies", warning.Message, StringComparison.Ordinal);
        Assert.Contains("Gateway:ReceiveProbeTimeout", warning.Message, StringComparison.Ordinal);
        Assert.Equal(0, _probes.Count);
    }

    [Fact]
    public async Task CheckAll_ProbeLateButOtherMessagesTaken_KeepsEndpoint()
    {
        // A backlog of replies ahead of the probe: the endpoint receives, only slowly.
        var endpoint = new FakeProbedEndpoint("replies", _probes) { Receives = false };
        using var check = NewCheck(endpoint);

        var checking = check.CheckAllAsync(CancellationToken.None);
        endpoint.Deliveries += 3;
        _clock.Advance(Timeout);
        await checking.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Empty(endpoint.Replacements);
    }

    [Fact]
    public async Task CheckAll_SendSlowToBeConfirmed_GivesTheProbeTheWholeTimeoutAfterTheSend()
    {
        // Just after a reconnect a publisher confirm can take seconds; the probe's time to arrive starts after it.
        var endpoint = new FakeProbedEndpoint("replies", _probes) { Receives = false, SendGate = new() };
        using var check = NewCheck(endpoint);

        var checking = check.CheckAllAsync(CancellationToken.None);
        _clock.Advance(Timeout - TimeSpan.FromSeconds(1));
        endpoint.SendGate.SetResult();
        await Eventually.TrueAsync(() => endpoint.ProbesSent == 1);
        await _clock.WaitForWaiterAsync(Timeout);
        _clock.Advance(Timeout - TimeSpan.FromSeconds(1));
        await Task.Delay(Settle);
        Assert.False(checking.IsCompleted);

        _probes.Arrived(endpoint.LastProbeId!.Value);
        await checking.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Empty(endpoint.Replacements);
    }

    [Fact]
    public async Task CheckAll_SendNeverConfirmed_GivesUpAfterTheTimeoutWithoutReplacing()
    {
        var endpoint = new FakeProbedEndpoint("replies", _probes) { SendGate = new() };
        using var check = NewCheck(endpoint);

        // The send's deadline is set before CheckAllAsync first awaits.
        var checking = check.CheckAllAsync(CancellationToken.None);
        _clock.Advance(Timeout);
        await checking.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(0, endpoint.ProbesSent);
        Assert.Empty(endpoint.Replacements);
    }

    [Fact]
    public async Task CheckAll_ProbeCannotBeSent_KeepsEndpoint()
    {
        // A failed send says the sending side has trouble, not that this endpoint stopped receiving.
        var endpoint = new FakeProbedEndpoint("replies", _probes) { SendFailure = new InvalidOperationException("channel closed") };
        using var check = NewCheck(endpoint);

        await check.CheckAllAsync(CancellationToken.None);

        Assert.Empty(endpoint.Replacements);
    }

    [Fact]
    public async Task CheckAll_ProbeNeverSent_WarnsNamingEndpointAndSettingAtMostOnceAMinute()
    {
        var endpoint = new FakeProbedEndpoint("replies", _probes) { SendFailure = new InvalidOperationException("channel closed") };
        using var check = NewCheck(endpoint);

        await check.CheckAllAsync(CancellationToken.None);
        await check.CheckAllAsync(CancellationToken.None);

        var warning = Assert.Single(Warnings());
        Assert.Contains("Could not send a probe to replies (InvalidOperationException: channel closed)", warning, StringComparison.Ordinal);
        Assert.Contains("Gateway:ReceiveProbeTimeout (5 s)", warning, StringComparison.Ordinal);

        _clock.Advance(ProbeSendFailures.WarnEvery);
        await check.CheckAllAsync(CancellationToken.None);

        Assert.Equal(2, Warnings().Count);
        Assert.Contains("3 in a row over 60 s", Warnings()[1], StringComparison.Ordinal);

        endpoint.SendFailure = null;
        await check.CheckAllAsync(CancellationToken.None);
        Assert.Contains(_log.Collector.GetSnapshot(), record => record.Level == LogLevel.Information
            && record.Message.Contains("Probes reach replies again, after 3", StringComparison.Ordinal));
        Assert.Empty(endpoint.Replacements);
    }

    [Fact]
    public async Task CheckAll_EndpointNotReady_IsNotProbed()
    {
        // MassTransit knows it is down and reconnects it itself.
        var endpoint = new FakeProbedEndpoint("replies", _probes) { IsReady = false, Receives = false };
        using var check = NewCheck(endpoint);

        await check.CheckAllAsync(CancellationToken.None);

        Assert.Equal(0, endpoint.ProbesSent);
        Assert.Empty(endpoint.Replacements);
    }

    [Fact]
    public async Task CheckAll_EndpointNotReadyPastTheBound_ReplacesIt()
    {
        // MassTransit reports the endpoint not ready and never brings it back, while the broker is up.
        var endpoint = new FakeProbedEndpoint("replies", _probes) { IsReady = false, Receives = false };
        using var check = NewCheck(endpoint);
        await check.CheckAllAsync(CancellationToken.None);

        // Not ready for exactly the bound: MassTransit may still be restarting it; not even probed.
        _clock.Advance(NotReadyWatch.Bound(Interval));
        await check.CheckAllAsync(CancellationToken.None);
        Assert.Equal(0, endpoint.SendAttempts);

        _clock.Advance(TimeSpan.FromSeconds(1));
        var checking = check.CheckAllAsync(CancellationToken.None);
        _clock.Advance(Timeout);
        await checking.WaitAsync(TimeSpan.FromSeconds(10));

        var reason = Assert.Single(endpoint.Replacements);
        Assert.Contains("not ready for 61 s", reason, StringComparison.Ordinal);
        var warning = Assert.Single(Warnings());
        Assert.Contains("Not receiving on replies: MassTransit has reported it not ready for 61 s", warning, StringComparison.Ordinal);
        Assert.Contains("Gateway:ReceiveProbeInterval", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAll_EndpointNotReadyPastTheBoundWhileBrokerAway_KeepsIt()
    {
        var endpoint = new FakeProbedEndpoint("replies", _probes) { IsReady = false, SendFailure = new InvalidOperationException("broker away") };
        using var check = NewCheck(endpoint);
        await check.CheckAllAsync(CancellationToken.None);
        _clock.Advance(NotReadyWatch.Bound(Interval) + TimeSpan.FromSeconds(1));

        await check.CheckAllAsync(CancellationToken.None);
        endpoint.SendFailure = null;
        await check.CheckAllAsync(CancellationToken.None);

        Assert.Equal(1, endpoint.SendAttempts);
        Assert.Empty(endpoint.Replacements);
    }

    [Fact]
    public async Task CheckAll_EndpointFaultsWhileProbeIsOut_LeavesItToMassTransit()
    {
        var endpoint = new FakeProbedEndpoint("replies", _probes) { Receives = false };
        using var check = NewCheck(endpoint);

        var checking = check.CheckAllAsync(CancellationToken.None);
        endpoint.IsReady = false;
        _clock.Advance(Timeout);
        await checking.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Empty(endpoint.Replacements);
    }

    [Fact]
    public async Task CheckAll_EndpointReconnectedWhileProbeIsOut_IsNotReplaced()
    {
        // Down and up again between two looks at IsReady: the restart may have deleted the queue with the probe.
        var endpoint = new FakeProbedEndpoint("heartbeats", _probes) { Receives = false };
        using var check = NewCheck(endpoint);

        var checking = check.CheckAllAsync(CancellationToken.None);
        endpoint.ReadyEpoch += 2;
        _clock.Advance(Timeout);
        await checking.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(endpoint.IsReady);
        Assert.Empty(endpoint.Replacements);
    }

    [Fact]
    public async Task CheckAll_OnlyOneEndpointDeaf_ReplacesOnlyThatOne()
    {
        var replies = new FakeProbedEndpoint("replies", _probes);
        var heartbeats = new FakeProbedEndpoint("heartbeats", _probes) { Receives = false };
        using var check = NewCheck(replies, heartbeats);

        var checking = check.CheckAllAsync(CancellationToken.None);
        _clock.Advance(Timeout);
        await checking.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Empty(replies.Replacements);
        Assert.Single(heartbeats.Replacements);
    }

    private List<string> Warnings() =>
        [.. _log.Collector.GetSnapshot().Where(record => record.Level == LogLevel.Warning).Select(record => record.Message)];

    private ReceiveSelfCheck NewCheck(params FakeProbedEndpoint[] endpoints) => new(
        endpoints,
        _probes,
        Options.Create(new GatewayOptions { ReceiveProbeInterval = Interval, ReceiveProbeTimeout = Timeout }),
        _clock,
        _log);
}
