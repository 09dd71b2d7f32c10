using InferenceCluster.Gateway.Broker;
using InferenceCluster.Gateway.Configuration;
using InferenceCluster.Gateway.Tests.Fakes;
using InferenceCluster.ServiceDefaults;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;

namespace InferenceCluster.Gateway.Tests.Broker;

/// <summary>The self-check running as the gateway runs it: when it probes (each interval, a second after a failed send, at once after a reconnect).</summary>
public sealed class ReceiveSelfCheckRunTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private readonly WatchedClock _clock = new();
    private readonly ReceiveProbes _probes = new();
    private readonly FakeLogger<ReceiveSelfCheck> _log = new();

    [Fact]
    public async Task Run_ProbesEveryInterval()
    {
        var endpoint = new FakeProbedEndpoint("replies", _probes);
        using var check = NewCheck(endpoint);
        await check.StartAsync(CancellationToken.None);
        try
        {
            await _clock.WaitForWaiterAsync(Interval);
            Assert.Equal(0, endpoint.ProbesSent);

            _clock.Advance(Interval);
            await Eventually.TrueAsync(() => endpoint.ProbesSent == 1);
            await _clock.WaitForWaiterAsync(Interval);
            _clock.Advance(Interval);
            await Eventually.TrueAsync(() => endpoint.ProbesSent == 2);
        }
        finally
        {
            await check.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Run_ProbeCannotBeSent_TriesAgainAfterASecondNotAnInterval()
    {
        // While the broker is away probes cannot be sent; the moment it is back is when a lost consumer must show.
        var endpoint = new FakeProbedEndpoint("replies", _probes) { SendFailure = new InvalidOperationException("broker unreachable") };
        using var check = NewCheck(endpoint);
        await check.StartAsync(CancellationToken.None);
        try
        {
            await _clock.WaitForWaiterAsync(Interval);
            _clock.Advance(Interval);
            await Eventually.TrueAsync(() => endpoint.SendAttempts == 1);
            await _clock.WaitForWaiterAsync(ReceiveSelfCheck.RetrySoon);

            endpoint.SendFailure = null;
            _clock.Advance(ReceiveSelfCheck.RetrySoon);
            await Eventually.TrueAsync(() => endpoint.ProbesSent == 1);
        }
        finally
        {
            await check.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Run_EndpointReconnected_ProbesAtOnceAndReplacesADeafOne()
    {
        // Right after a reconnect is when a silently lost consumer shows: the check does not wait for the interval.
        var endpoint = new FakeProbedEndpoint("replies", _probes);
        using var check = NewCheck(endpoint);
        await check.StartAsync(CancellationToken.None);
        try
        {
            endpoint.Receives = false;
            endpoint.RaiseBecameReady();
            await Eventually.TrueAsync(() => endpoint.ProbesSent == 1);

            // The probe counts as sent a moment before the check waits for it to arrive.
            await _clock.WaitForWaiterAsync(Timeout);
            _clock.Advance(Timeout);
            await Eventually.TrueAsync(() => endpoint.Replacements.Count == 1);
        }
        finally
        {
            await check.StopAsync(CancellationToken.None);
        }
    }

    private ReceiveSelfCheck NewCheck(params FakeProbedEndpoint[] endpoints) => new(
        endpoints,
        _probes,
        Options.Create(new GatewayOptions { ReceiveProbeInterval = Interval, ReceiveProbeTimeout = Timeout }),
        _clock,
        _log);
}
