using System.Reflection;
using InferenceCluster.Worker.Heartbeats;
using InferenceCluster.Worker.Receiving;
using InferenceCluster.Worker.Tests.Fakes;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace InferenceCluster.Worker.Tests.Heartbeats;

/// <summary>What an operator reads of a broker outage in the heartbeat's log lines: its start and its end, once each.</summary>
public sealed class HeartbeatOutageLogTests
{
    private const int Beats = 30;
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private readonly FakeTimeProvider _clock = new();
    private readonly FakeLogger<HeartbeatService> _log = new();
    private readonly HeartbeatService _service;
    private readonly FailingBus _bus;

    public HeartbeatOutageLogTests()
    {
        var bus = DispatchProxy.Create<IBus, FailingBus>();
        _bus = (FailingBus)(object)bus;
        var engine = new FakeInferenceEngine((_, _) => FakeInferenceEngine.Tokens(["a"]));
        var options = Options.Create(new WorkerOptions { Id = "w1", HeartbeatInterval = Interval });
        _service = new HeartbeatService(bus, engine, new ModelQueueActivity(_clock), options, _clock, _log);
    }

    [Fact]
    public async Task Beat_BrokerAwayForManyBeats_OneWarningWithoutStackThenOneLineWhenBack()
    {
        await _service.BeatAsync(CancellationToken.None);
        _bus.Failure = new InvalidOperationException("Broker unreachable: guest@127.0.0.1:5672/");
        for (var beat = 0; beat < Beats; beat++)
        {
            _clock.Advance(Interval);
            await _service.BeatAsync(CancellationToken.None);
        }

        var warnings = _log.Collector.GetSnapshot().Where(record => record.Level >= LogLevel.Warning).ToList();
        var warning = Assert.Single(warnings);
        Assert.Null(warning.Exception);
        Assert.Contains("worker heartbeat", warning.Message, StringComparison.Ordinal);
        Assert.Contains("rabbitmq://127.0.0.1:5672 (InvalidOperationException: Broker unreachable", warning.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("guest@", warning.Message, StringComparison.Ordinal);

        _bus.Failure = null;
        _clock.Advance(Interval);
        await _service.BeatAsync(CancellationToken.None);
        await _service.BeatAsync(CancellationToken.None);

        var back = Assert.Single(_log.Collector.GetSnapshot(), record => record.Level == LogLevel.Information);
        Assert.Contains($"after failing for {Beats}", back.Message, StringComparison.Ordinal);
        Assert.Contains($"heartbeats not published meanwhile: {Beats}", back.Message, StringComparison.Ordinal);
        Assert.All(_log.Collector.GetSnapshot(), record => Assert.Null(record.Exception));
    }

    [Fact]
    public async Task Beat_OtherErrorDuringTheOutage_WarnedToo()
    {
        _bus.Failure = new InvalidOperationException("Broker unreachable");
        await _service.BeatAsync(CancellationToken.None);
        await _service.BeatAsync(CancellationToken.None);
        _bus.Failure = new ArgumentException("message too large");
        await _service.BeatAsync(CancellationToken.None);
        await _service.BeatAsync(CancellationToken.None);

        var warnings = _log.Collector.GetSnapshot().Where(record => record.Level == LogLevel.Warning).Select(record => record.Message).ToList();
        Assert.Equal(2, warnings.Count);
        Assert.Contains("ArgumentException: message too large", warnings[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Beat_SameTypeOtherInnerCause_WarnedToo()
    {
        _bus.Failure = new InvalidOperationException("Broker unreachable", new TimeoutException("connect timed out"));
        await _service.BeatAsync(CancellationToken.None);
        await _service.BeatAsync(CancellationToken.None);
        _bus.Failure = new InvalidOperationException("Broker unreachable", new UnauthorizedAccessException("ACCESS_REFUSED"));
        await _service.BeatAsync(CancellationToken.None);
        await _service.BeatAsync(CancellationToken.None);

        var warnings = _log.Collector.GetSnapshot().Where(record => record.Level == LogLevel.Warning).ToList();
        Assert.Equal(2, warnings.Count);
        Assert.All(_log.Collector.GetSnapshot(), record => Assert.DoesNotContain("guest@", record.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task CanPublish_BusErrorNamingTheBrokerWithItsUser_LoggedWithoutUserOrPassword()
    {
        _bus.Failure = new InvalidOperationException(LogAssert.BusError);

        Assert.False(await _service.CanPublishAsync(CancellationToken.None));

        var line = Assert.Single(_log.Collector.GetSnapshot());
        Assert.Contains("(InvalidOperationException: Broker unreachable: ***@rabbit:5672/", line.Message, StringComparison.Ordinal);
        LogAssert.NoBrokerCredentials(line);
    }

    /// <summary>A bus whose publishes throw <see cref="Failure"/> while it is set.</summary>
    public class FailingBus : DispatchProxy
    {
        public Exception? Failure { get; set; }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) => targetMethod?.Name switch
        {
            "get_Address" => new Uri("rabbitmq://127.0.0.1:5672/vhost/worker_bus_abc?temporary=true"),
            nameof(IPublishEndpoint.Publish) => Failure is { } failure ? Task.FromException(failure) : Task.CompletedTask,
            _ => throw new NotSupportedException($"{targetMethod?.Name} is not part of this fake"),
        };
    }
}
