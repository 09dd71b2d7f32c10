using System.Net;
using System.Net.Sockets;
using InferenceCluster.Contracts;
using InferenceCluster.Gateway.Configuration;
using InferenceCluster.Gateway.Telemetry;
using InferenceCluster.Gateway.Workers;
using InferenceCluster.ServiceDefaults.Telemetry;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;

namespace InferenceCluster.Gateway.Tests;

/// <summary>Reading queue depths from a broker that cannot be reached: logged once, without the password, and no depth reported.</summary>
public sealed class QueueDepthMonitorTests
{
    [Fact]
    public async Task Read_BrokerUnreachable_LogsOnceWithoutThePasswordAndReportsNoDepth()
    {
        var port = ClosedPort();
        var broker = new Uri($"amqp://watcher:s3cret-word@127.0.0.1:{port}/");
        var options = Options.Create(new GatewayOptions { QueueDepthInterval = TimeSpan.FromMilliseconds(100) });
        var workers = new WorkerRegistry(TimeProvider.System, options);
        var model = "queue-depth-unreachable-" + Guid.NewGuid().ToString("N")[..8];
        workers.Record(new WorkerHeartbeat
        {
            WorkerId = "w", ModelId = model, ModelRevision = "r", Capacity = 1, InFlight = 0, ContextLength = 128, SentAt = DateTimeOffset.UtcNow,
        });
        var logger = new FakeLogger<QueueDepthMonitor>();
        using var depths = new MetricCollector<long>(null, GatewayTelemetry.SourceName, "inference_cluster.queue.depth");
        using var monitor = new QueueDepthMonitor(broker, workers, options, TimeProvider.System, logger);

        await monitor.StartAsync(CancellationToken.None);
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (logger.Collector.Count == 0 && DateTime.UtcNow < until)
        {
            await Task.Delay(50);
        }

        // Several more intervals of failing reads: still the one warning.
        await Task.Delay(TimeSpan.FromMilliseconds(600));
        depths.RecordObservableInstruments();
        await monitor.StopAsync(CancellationToken.None);

        var record = Assert.Single(logger.Collector.GetSnapshot());
        Assert.Equal(LogLevel.Warning, record.Level);
        Assert.Contains($"127.0.0.1:{port}", record.Message, StringComparison.Ordinal);

        // The broker is a field of its own, as operators filter by it; the reason does not repeat it.
        Assert.Equal($"amqp://***@127.0.0.1:{port}/", record.GetStructuredStateValue("Broker"));
        Assert.DoesNotContain("127.0.0.1", record.GetStructuredStateValue("Reason"), StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-word", record.Message, StringComparison.Ordinal);
        Assert.Null(record.Exception);
        Assert.DoesNotContain(depths.GetMeasurementSnapshot(), measurement => Equals(measurement.Tags[TelemetryAttributes.RequestModel], model));
    }

    [Fact]
    public async Task Stop_ReadStillRunningWhenTheStopTimeIsUp_EndsWithoutFailing()
    {
        // A broker that takes the connection and never answers: the read runs until its own bound (2 s here).
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var broker = new Uri($"amqp://guest:guest@127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}/");
        var options = Options.Create(new GatewayOptions { QueueDepthInterval = TimeSpan.FromSeconds(2) });
        var workers = new WorkerRegistry(TimeProvider.System, options);
        workers.Record(new WorkerHeartbeat
        {
            WorkerId = "w", ModelId = "queue-depth-silent", ModelRevision = "r", Capacity = 1, InFlight = 0, ContextLength = 128, SentAt = DateTimeOffset.UtcNow,
        });
        using var monitor = new QueueDepthMonitor(broker, workers, options, TimeProvider.System, new FakeLogger<QueueDepthMonitor>());
        await monitor.StartAsync(CancellationToken.None);
        using var accepted = await silent.AcceptTcpClientAsync().WaitAsync(TimeSpan.FromSeconds(10));

        // The host's stop time already used up by other services.
        await monitor.StopAsync(new CancellationToken(canceled: true)).WaitAsync(TimeSpan.FromSeconds(10));

        var running = monitor.ExecuteTask!;
        await running.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
        Assert.False(running.IsFaulted, running.Exception?.ToString());
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
