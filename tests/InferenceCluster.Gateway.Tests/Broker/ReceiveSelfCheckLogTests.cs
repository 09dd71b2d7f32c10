using InferenceCluster.Gateway.Broker;
using InferenceCluster.Gateway.Configuration;
using InferenceCluster.Gateway.Tests.Fakes;
using InferenceCluster.ServiceDefaults;
using InferenceCluster.Worker.Tests.Fakes;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;

namespace InferenceCluster.Gateway.Tests.Broker;

/// <summary>The self-check's lines name a bus error without the broker's user or password, which the error's message carries.</summary>
public sealed class ReceiveSelfCheckLogTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private readonly WatchedClock _clock = new();
    private readonly ReceiveProbes _probes = new();
    private readonly FakeLogger<ReceiveSelfCheck> _log = new();

    [Fact]
    public async Task CheckAll_ConnectFailsNamingTheBrokerWithItsUser_WarnedWithoutUserOrPassword()
    {
        var endpoint = new FakeProbedEndpoint("replies", _probes)
        {
            IsConnected = false,
            IsReady = false,
            ConnectFailure = new InvalidOperationException(LogAssert.BusError),
        };
        using var check = NewCheck(endpoint);

        await check.CheckAllAsync(CancellationToken.None);

        var warning = Assert.Single(_log.Collector.GetSnapshot());
        Assert.Contains("(InvalidOperationException: Broker unreachable: ***@rabbit:5672/", warning.Message, StringComparison.Ordinal);
        LogAssert.NoBrokerCredentials(warning);
    }

    [Fact]
    public async Task CheckAll_ReplacementFailsNamingTheBrokerWithItsUser_NoLineCarriesUserOrPassword()
    {
        var endpoint = new FakeProbedEndpoint("replies", _probes) { Receives = false, ReplaceFailure = new InvalidOperationException(LogAssert.BusError) };
        using var check = NewCheck(endpoint);

        var checking = check.CheckAllAsync(CancellationToken.None);
        _clock.Advance(Timeout);
        await checking.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Single(endpoint.Replacements);
        var lines = _log.Collector.GetSnapshot();
        Assert.Contains(lines, line => line.Message.StartsWith("Could not connect the receive endpoint replies (InvalidOperationException: Broker unreachable: ***@rabbit", StringComparison.Ordinal));
        Assert.All(lines, LogAssert.NoBrokerCredentials);
    }

    private ReceiveSelfCheck NewCheck(FakeProbedEndpoint endpoint) => new(
        [endpoint],
        _probes,
        Options.Create(new GatewayOptions { ReceiveProbeInterval = TimeSpan.FromSeconds(10), ReceiveProbeTimeout = Timeout }),
        _clock,
        _log);
}
