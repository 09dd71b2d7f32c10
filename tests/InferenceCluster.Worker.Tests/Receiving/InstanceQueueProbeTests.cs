using InferenceCluster.ServiceDefaults;
using InferenceCluster.Worker.Receiving;
using InferenceCluster.Worker.Tests.Fakes;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace InferenceCluster.Worker.Tests.Receiving;

public sealed class InstanceQueueProbeTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);
    private static readonly Uri Heartbeats = new("rabbitmq://localhost/GatewayHeartbeat-w1?temporary=true");
    private static readonly Uri Cancels = new("rabbitmq://localhost/CancelCompletion-w1?temporary=true");

    private readonly FakeTimeProvider _clock = new();
    private readonly ReceiveProbes _probes = new();
    private readonly InstanceQueues _queues = new();
    private readonly FakeWorkerRestart _restart = new();
    private readonly FakeLogger<InstanceQueueProbe> _log = new();
    private readonly FakeProbeSender _broker;
    private readonly ModelQueueActivity _activity;
    private readonly InstanceQueueProbe _probe;

    public InstanceQueueProbeTests()
    {
        _broker = new FakeProbeSender(_probes, _queues);
        _activity = new ModelQueueActivity(_clock);
        _probe = new InstanceQueueProbe(
            _queues,
            _probes,
            _broker,
            _activity,
            _restart,
            Options.Create(new WorkerOptions { Id = "w1", ReceiveCheckInterval = TimeSpan.FromSeconds(10), ReceiveProbeTimeout = Timeout }),
            _clock,
            _log);
        _queues.Add(Heartbeats).EndpointChanged(ready: true);
        _queues.Add(Cancels).EndpointChanged(ready: true);
    }

    [Fact]
    public async Task Check_ProbesArrive_NotDeaf()
    {
        Assert.False(await _probe.CheckOnceAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.Equal(2, _broker.Sent.Count);
        Assert.Contains(Heartbeats, _broker.Sent);
        Assert.Contains(Cancels, _broker.Sent);
        Assert.False(_activity.IsDeaf);
        Assert.Equal(0, _restart.Requests);
        Assert.Equal(0, _probes.Count);
    }

    [Fact]
    public async Task Check_ProbeTakenButNotDelivered_DeafOnceTimeoutPassesAndRestarts()
    {
        _broker.Deaf.Add(Heartbeats);

        var checking = _probe.CheckOnceAsync(CancellationToken.None);
        _clock.Advance(Timeout - TimeSpan.FromMilliseconds(1));
        await Task.Delay(50);
        Assert.False(checking.IsCompleted);
        Assert.Equal(0, _restart.Requests);

        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(await checking.WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.Equal(1, _restart.Requests);
        Assert.StartsWith("Not receiving on GatewayHeartbeat-w1: the broker took a probe", _activity.Deafness, StringComparison.Ordinal);
        Assert.Contains("within 5 s", _activity.Deafness, StringComparison.Ordinal);
        var error = Assert.Single(_log.Collector.GetSnapshot(), record => record.Level == LogLevel.Error);
        Assert.Contains("Not receiving on GatewayHeartbeat-w1", error.Message, StringComparison.Ordinal);
        Assert.Contains("exits with code 75", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, _probes.Count);

        // The same liveness check as the model queue's watchdog reports it.
        var health = await new ReceivingHealthCheck(_activity).CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Unhealthy, health.Status);
        Assert.Contains("GatewayHeartbeat-w1", health.Description, StringComparison.Ordinal);

        // Once is enough: the worker is on its way out.
        Assert.False(await _probe.CheckOnceAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(1, _restart.Requests);
    }

    [Fact]
    public async Task Check_ProbeCannotBeSent_NotDeaf()
    {
        _broker.Deaf.Add(Cancels);
        _broker.SendFailure = new InvalidOperationException("broker away");

        Assert.False(await _probe.CheckOnceAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.False(_activity.IsDeaf);
        Assert.Equal(0, _restart.Requests);
        Assert.Equal(0, _probes.Count);
    }

    [Fact]
    public async Task Check_ProbeNeverSent_WarnsNamingQueueAndSettingAtMostOnceAMinute()
    {
        _broker.SendFailure = new InvalidOperationException("broker away");

        await _probe.CheckOnceAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        await _probe.CheckOnceAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        // One warning per queue for the two rounds; the second failure is only debug.
        var first = Warnings();
        Assert.Equal(2, first.Count);
        Assert.Contains(first, warning => warning.Contains("Could not send a probe to GatewayHeartbeat-w1 (InvalidOperationException: broker away)", StringComparison.Ordinal));
        Assert.Contains(first, warning => warning.Contains("Could not send a probe to CancelCompletion-w1", StringComparison.Ordinal));
        Assert.All(first, warning => Assert.Contains("Worker:ReceiveProbeTimeout (5 s)", warning, StringComparison.Ordinal));

        _clock.Advance(ProbeSendFailures.WarnEvery);
        await _probe.CheckOnceAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        var again = Warnings().Skip(2).ToList();
        Assert.Equal(2, again.Count);
        Assert.All(again, warning => Assert.Contains("3 in a row over 60 s", warning, StringComparison.Ordinal));

        _broker.SendFailure = null;
        await _probe.CheckOnceAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Contains(_log.Collector.GetSnapshot(), record => record.Level == LogLevel.Information
            && record.Message.Contains("Probes reach GatewayHeartbeat-w1 again, after 3", StringComparison.Ordinal));
        Assert.False(_activity.IsDeaf);
    }

    [Fact]
    public async Task Check_EndpointNotReady_NotProbed()
    {
        _broker.Deaf.Add(Cancels);
        _queues.Add(Cancels).EndpointChanged(ready: false);

        Assert.False(await _probe.CheckOnceAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.Equal([Heartbeats], _broker.Sent);
        Assert.Equal(0, _restart.Requests);
    }

    [Fact]
    public async Task Check_EndpointNotReadyPastTheBound_DeafAndRestarts()
    {
        // MassTransit reports the cancel endpoint not ready and never brings it back, while the broker is up.
        _queues.Add(Cancels).EndpointChanged(ready: false);
        _broker.Deaf.Add(Cancels);
        var bound = NotReadyWatch.Bound(TimeSpan.FromSeconds(10));
        Assert.False(await _probe.CheckOnceAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)));

        // Not ready for exactly the bound: MassTransit may still be restarting it; not even probed.
        _clock.Advance(bound);
        Assert.False(await _probe.CheckOnceAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.DoesNotContain(Cancels, _broker.Sent);

        _clock.Advance(TimeSpan.FromSeconds(1));
        var checking = _probe.CheckOnceAsync(CancellationToken.None);
        _clock.Advance(Timeout);
        Assert.True(await checking.WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.Contains(Cancels, _broker.Sent);
        Assert.Equal(1, _restart.Requests);
        Assert.StartsWith("Not receiving on CancelCompletion-w1: MassTransit has reported its endpoint not ready for 61 s", _activity.Deafness, StringComparison.Ordinal);
        Assert.Contains("Worker:ReceiveCheckInterval", _activity.Deafness, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_EndpointNotReadyPastTheBoundWhileBrokerAway_NotDeaf()
    {
        _queues.Add(Cancels).EndpointChanged(ready: false);
        Assert.False(await _probe.CheckOnceAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)));
        _clock.Advance(NotReadyWatch.Bound(TimeSpan.FromSeconds(10)) + TimeSpan.FromSeconds(1));

        // A broker outage explains an endpoint not ready: the probe cannot be sent, and the count starts again.
        _broker.SendFailure = new InvalidOperationException("broker away");
        Assert.False(await _probe.CheckOnceAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)));
        _broker.SendFailure = null;
        Assert.False(await _probe.CheckOnceAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.False(_activity.IsDeaf);
        Assert.Equal(0, _restart.Requests);
        Assert.DoesNotContain(Cancels, _broker.Sent);
    }

    [Fact]
    public async Task Check_EndpointRestartedWhileProbeOut_NotDeaf()
    {
        // A broker restart deletes a temporary queue with the probe in it; MassTransit declares it again.
        _broker.Deaf.Add(Cancels);

        var checking = _probe.CheckOnceAsync(CancellationToken.None);
        _queues.Add(Cancels).EndpointChanged(ready: false);
        _queues.Add(Cancels).EndpointChanged(ready: true);
        _clock.Advance(Timeout);

        Assert.False(await checking.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(0, _restart.Requests);
    }

    [Fact]
    public async Task Check_EndpointDownWhenTimeoutPasses_NotDeaf()
    {
        _broker.Deaf.Add(Cancels);

        var checking = _probe.CheckOnceAsync(CancellationToken.None);
        _queues.Add(Cancels).EndpointChanged(ready: false);
        _clock.Advance(Timeout);

        Assert.False(await checking.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(0, _restart.Requests);
    }

    [Fact]
    public async Task Check_EndpointTookOtherMessagesMeanwhile_NotDeaf()
    {
        _broker.Deaf.Add(Heartbeats);

        var checking = _probe.CheckOnceAsync(CancellationToken.None);
        _queues.Add(Heartbeats).CountDelivery();
        _clock.Advance(Timeout);

        Assert.False(await checking.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(0, _restart.Requests);
    }

    [Fact]
    public async Task Check_WorkerStoppingWhileProbeOut_NotDeaf()
    {
        _broker.Deaf.Add(Heartbeats);

        var checking = _probe.CheckOnceAsync(CancellationToken.None);
        await _probe.StoppingAsync(CancellationToken.None);
        _clock.Advance(Timeout);

        Assert.False(await checking.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(0, _restart.Requests);
        Assert.False(_activity.IsDeaf);
    }

    [Fact]
    public async Task Check_ModelQueueAlreadyFoundDeaf_ProbesNothing()
    {
        _activity.MarkDeaf("Not receiving on generate-tiny: test");

        Assert.False(await _probe.CheckOnceAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.Empty(_broker.Sent);
        Assert.Equal(0, _restart.Requests);
    }

    private List<string> Warnings() =>
        [.. _log.Collector.GetSnapshot().Where(record => record.Level == LogLevel.Warning).Select(record => record.Message)];
}
