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
    public async Task ReplaceAsync_ConnectionFails_StopsTheOldOneAndLeavesEndpointUnconnectedForTheNextRound()
    {
        // Connected first: the self-check connects again only an endpoint that reports itself unconnected.
        var handles = new List<FakeEndpointHandle>();
        var endpoint = NewEndpoint((_, _) =>
        {
            if (handles.Count > 0)
            {
                throw new InvalidOperationException("the bus is stopping");
            }

            var (handle, fake) = FakeEndpointHandle.Create();
            handles.Add(fake);
            return handle;
        });
        endpoint.Connect();
        endpoint.On(1, _ => { }, ready: true);
        Assert.True(endpoint.IsConnected);

        await Assert.ThrowsAsync<InvalidOperationException>(() => endpoint.ReplaceAsync("a test replaces it", CancellationToken.None));

        Assert.False(endpoint.IsConnected);
        Assert.False(endpoint.IsReady);
        Assert.NotNull(Assert.Single(handles).StopToken);
    }

    [Fact]
    public async Task ReplaceAsync_OldEndpointNeverStops_ConnectsTheNewOneWithoutWaiting()
    {
        // The self-check's round, which the reply queue's expiry is measured against, must not wait for the stop.
        var handles = new List<FakeEndpointHandle>();
        var endpoint = NewEndpoint((_, _) =>
        {
            var (handle, fake) = FakeEndpointHandle.Create();
            handles.Add(fake);
            return handle;
        });
        endpoint.Connect();
        endpoint.On(1, _ => { }, ready: true);

        var replacing = endpoint.ReplaceAsync("a test replaces it", CancellationToken.None);

        Assert.True(replacing.IsCompleted);
        await replacing;
        Assert.Equal(2, handles.Count);
        Assert.True(endpoint.IsConnected);
        var stopToken = handles[0].StopToken!.Value;
        Assert.False(stopToken.IsCancellationRequested);

        // Bounded all the same: the stop is told to give up after StopPatience.
        _clock.Advance(OwnReceiveEndpoint.StopPatience);
        Assert.True(stopToken.IsCancellationRequested);
    }

    [Fact]
    public async Task ReplaceAsync_GatewayStopping_StartsNoNewEndpoint()
    {
        var connections = 0;
        var endpoint = NewEndpoint((_, _) =>
        {
            connections++;
            return FakeEndpointHandle.Create().Handle;
        });
        endpoint.Connect();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => endpoint.ReplaceAsync("a test replaces it", new CancellationToken(canceled: true)));

        Assert.Equal(1, connections);
        Assert.True(endpoint.IsConnected);
    }

    [Fact]
    public async Task Connect_TwoEndpointsAtOnce_ConnectOneAfterTheOther()
    {
        // The bus's list of connected endpoints is not safe for concurrent use.
        var inside = 0;
        var overlapped = false;
        HostReceiveEndpointHandle ConnectSlowly()
        {
            overlapped |= Interlocked.Increment(ref inside) > 1;
            Thread.Sleep(200);
            Interlocked.Decrement(ref inside);
            return FakeEndpointHandle.Create().Handle;
        }

        var first = NewEndpoint((_, _) => ConnectSlowly());
        var second = NewEndpoint((_, _) => ConnectSlowly());

        using var start = new Barrier(2);
        Task ConnectOnItsOwnThread(OwnReceiveEndpoint endpoint) => Task.Factory.StartNew(
            () =>
            {
                start.SignalAndWait(TimeSpan.FromSeconds(10));
                endpoint.Connect();
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);

        await Task.WhenAll(ConnectOnItsOwnThread(first), ConnectOnItsOwnThread(second));

        Assert.False(overlapped, "the two endpoints were connected at the same time");
        Assert.True(first.IsConnected && second.IsConnected);
    }

    private OwnReceiveEndpoint NewEndpoint(
        Func<IReceiveEndpointConnector, Action<IRegistrationContext, IReceiveEndpointConfigurator>, HostReceiveEndpointHandle> connect) => new(
        "replies",

        // No bus: the connect function each test passes makes the endpoints itself.
        () => null!,
        () => throw new InvalidOperationException("no bus in this test"),
        connect,
        (_, _) => { },
        new HeartbeatReception(_clock, Options.Create(new GatewayOptions()), NullLogger<HeartbeatReception>.Instance),
        _clock,
        NullLogger.Instance);
}
