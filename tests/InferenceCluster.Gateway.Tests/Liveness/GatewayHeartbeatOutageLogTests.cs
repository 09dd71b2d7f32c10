using System.Reflection;
using InferenceCluster.Gateway.Configuration;
using InferenceCluster.Gateway.Liveness;
using InferenceCluster.Gateway.Streaming;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace InferenceCluster.Gateway.Tests.Liveness;

/// <summary>What an operator reads of a broker outage in the gateway heartbeat's log lines: its start and its end, once each.</summary>
public sealed class GatewayHeartbeatOutageLogTests
{
    private const int Beats = 20;
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);
    private static readonly Uri Reply = new("rabbitmq://127.0.0.1:5672/gateway-replies-1");

    [Fact]
    public async Task Beat_BrokerAwayForManyBeats_OneWarningWithoutStackThenOneLineWhenBack()
    {
        var clock = new FakeTimeProvider();
        var log = new FakeLogger<GatewayHeartbeatService>();
        var bus = DispatchProxy.Create<IBus, FailingBus>();
        var failing = (FailingBus)(object)bus;
        var service = new GatewayHeartbeatService(bus, new ReplyEndpoint(), Options.Create(new GatewayOptions()), clock, log);

        failing.Failure = new InvalidOperationException("Broker unreachable: guest@127.0.0.1:5672/");
        for (var beat = 0; beat < Beats; beat++)
        {
            await service.BeatAsync(Reply, Interval, CancellationToken.None);
            clock.Advance(Interval);
        }

        var warning = Assert.Single(log.Collector.GetSnapshot(), record => record.Level >= LogLevel.Warning);
        Assert.Null(warning.Exception);
        Assert.Contains("gateway heartbeat to the broker at rabbitmq://127.0.0.1:5672 (InvalidOperationException: Broker unreachable", warning.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("guest@", warning.Message, StringComparison.Ordinal);

        failing.Failure = null;
        await service.BeatAsync(Reply, Interval, CancellationToken.None);

        var back = Assert.Single(log.Collector.GetSnapshot(), record => record.Level == LogLevel.Information);
        Assert.Contains($"after failing for {Beats * Interval.TotalSeconds}", back.Message, StringComparison.Ordinal);
        Assert.Contains($"heartbeats not published meanwhile: {Beats}", back.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Beat_PublishHangsAsTheBrokerRestarts_EndsAtTheIntervalWithATimeoutWarning()
    {
        var clock = new FakeTimeProvider();
        var log = new FakeLogger<GatewayHeartbeatService>();
        var bus = DispatchProxy.Create<IBus, FailingBus>();
        ((FailingBus)(object)bus).Hangs = true;
        var service = new GatewayHeartbeatService(bus, new ReplyEndpoint(), Options.Create(new GatewayOptions()), clock, log);

        var beat = service.BeatAsync(Reply, Interval, CancellationToken.None);
        clock.Advance(Interval);

        // A beat that waited on the hanging publish would stop the gateway's heartbeats until the broker is back and past.
        await beat.WaitAsync(TimeSpan.FromSeconds(30));
        var warning = Assert.Single(log.Collector.GetSnapshot(), record => record.Level >= LogLevel.Warning);
        Assert.Contains($"(Timeout: not confirmed by the broker within {Interval.TotalSeconds} s)", warning.Message, StringComparison.Ordinal);
    }

    /// <summary>A bus whose publishes throw <see cref="Failure"/> while it is set, or never end (token or not) while it <see cref="Hangs"/>.</summary>
    public class FailingBus : DispatchProxy
    {
        public Exception? Failure { get; set; }

        public bool Hangs { get; set; }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) => targetMethod?.Name switch
        {
            "get_Address" => new Uri("rabbitmq://127.0.0.1:5672/vhost/gateway_bus_abc?temporary=true"),
            nameof(IPublishEndpoint.Publish) when Hangs => new TaskCompletionSource().Task,
            nameof(IPublishEndpoint.Publish) => Failure is { } failure ? Task.FromException(failure) : Task.CompletedTask,
            _ => throw new NotSupportedException($"{targetMethod?.Name} is not part of this fake"),
        };
    }
}
