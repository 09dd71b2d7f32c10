using InferenceCluster.Gateway.Broker;
using InferenceCluster.Gateway.Configuration;
using InferenceCluster.Gateway.Workers;
using MassTransit;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace InferenceCluster.Gateway.Tests.Broker;

/// <summary>What an <see cref="OwnReceiveEndpoint"/> makes of its generations' events, without a bus.</summary>
public sealed class OwnReceiveEndpointStateTests
{
    private readonly FakeTimeProvider _clock = new();

    [Fact]
    public void ReadyEpoch_CountsEveryEventOfTheCurrentGenerationOnly()
    {
        var endpoint = NewEndpoint((_, _) => throw new InvalidOperationException("not connected in this test"));

        endpoint.On(0, _ => { }, ready: true);
        endpoint.On(0, _ => { }, ready: false);
        endpoint.On(0, _ => { }, ready: true);
        Assert.Equal(3, endpoint.ReadyEpoch);
        Assert.True(endpoint.IsReady);

        // An older generation still stopping says nothing about the current one.
        endpoint.On(-1, _ => { }, ready: false);
        Assert.Equal(3, endpoint.ReadyEpoch);
        Assert.True(endpoint.IsReady);
    }

    [Fact]
    public async Task ReplaceAsync_ConnectionFails_LeavesEndpointUnconnectedForTheNextRound()
    {
        var endpoint = NewEndpoint((_, _) => throw new InvalidOperationException("the bus is stopping"));
        endpoint.On(0, _ => { }, ready: true);

        await Assert.ThrowsAsync<InvalidOperationException>(() => endpoint.ReplaceAsync("a test replaces it", CancellationToken.None));

        Assert.False(endpoint.IsConnected);
        Assert.False(endpoint.IsReady);
    }

    private OwnReceiveEndpoint NewEndpoint(
        Func<IReceiveEndpointConnector, Action<IRegistrationContext, IReceiveEndpointConfigurator>, HostReceiveEndpointHandle> connect) => new(
        "replies",
        () => throw new InvalidOperationException("no bus in this test"),
        () => throw new InvalidOperationException("no bus in this test"),
        connect,
        (_, _) => { },
        new HeartbeatReception(_clock, Options.Create(new GatewayOptions()), NullLogger<HeartbeatReception>.Instance),
        _clock,
        NullLogger.Instance);
}
