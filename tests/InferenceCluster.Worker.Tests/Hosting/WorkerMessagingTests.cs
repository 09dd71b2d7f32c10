using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using InferenceCluster.Inference;
using InferenceCluster.ServiceDefaults;
using InferenceCluster.Worker.Hosting;
using InferenceCluster.Worker.Tests.Fakes;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;

namespace InferenceCluster.Worker.Tests.Hosting;

/// <summary>The worker process's bus wiring: what it may contact and what it may print.</summary>
public sealed class WorkerMessagingTests
{
    private const string Password = "Pa55-w0rd-never-printed";

    [Fact]
    public void AddInferenceWorker_Always_TurnsMassTransitUsageTelemetryOff()
    {
        var builder = Builder($"amqp://guest:{Password}@127.0.0.1:5672/");

        builder.AddInferenceWorker(NoEngine);
        using var provider = builder.Services.BuildServiceProvider();

        Assert.False(provider.GetRequiredService<IOptions<UsageTelemetryOptions>>().Value.Enabled);
    }

    [Theory]
    [InlineData(null, "00:00:10")]
    [InlineData("00:00:07", "00:00:07")]
    public async Task AddInferenceWorker_BrokerHeartbeat_IsWhatTheConnectionAsksFor(string? setting, string requested)
    {
        // The client library's own 60 s made clients of a frozen worker wait about 2.5 minutes for their answers.
        var builder = Builder($"amqp://guest:{Password}@127.0.0.1:5672/");
        if (setting is not null)
        {
            builder.Configuration["Worker:BrokerHeartbeat"] = setting;
        }

        builder.AddInferenceWorker(NoEngine);
        await using var provider = builder.Services.BuildServiceProvider();

        // The bus is made, not started: its probe describes the connection it would open.
        var probe = JsonSerializer.Serialize(provider.GetRequiredService<IBusControl>().GetProbeResult().Results);
        Assert.Contains($"\"heartbeat\":\"{requested}\"", probe, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData($"amqp//guest:{Password}@127.0.0.1:5672/")]
    [InlineData($"http://guest:{Password}@127.0.0.1:5672/")]
    [InlineData($"guest:{Password}")]
    public void AddInferenceWorker_MalformedUriWithPassword_NamesTheSettingButNotThePassword(string connectionString)
    {
        var error = Assert.Throws<InvalidSettingException>(() => Builder(connectionString).AddInferenceWorker(NoEngine));

        Assert.Contains("ConnectionStrings__rabbitmq", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_BrokerUnreachable_NoLogLineOrErrorCarriesThePassword()
    {
        using var logs = new FakeLoggerProvider();
        var builder = Builder($"amqp://guest:{Password}@127.0.0.1:{ClosedPort()}/");
        builder.Logging.SetMinimumLevel(LogLevel.Trace).AddProvider(logs);
        builder.AddInferenceWorker(NoEngine);
        using var host = builder.Build();

        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(4));
        var failure = await Record.ExceptionAsync(() => host.StartAsync(patience.Token));

        // The lines that could carry the address: MassTransit's report of the failed connection. A loaded machine may not
        // have tried to connect within the start's patience; the check waits for the attempt rather than passing on
        // start-up lines alone.
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!logs.Collector.GetSnapshot().Any(record => record.Category?.StartsWith("MassTransit", StringComparison.Ordinal) == true
            && record.Level >= LogLevel.Warning))
        {
            Assert.True(DateTime.UtcNow < until, "MassTransit did not report the unreachable broker within 30 s");
            await Task.Delay(100);
        }

        await host.StopAsync(CancellationToken.None);

        var records = logs.Collector.GetSnapshot();
        Assert.NotEmpty(records);
        Assert.All(records, record =>
        {
            Assert.DoesNotContain(Password, record.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(Password, record.Exception?.ToString() ?? string.Empty, StringComparison.Ordinal);
        });
        Assert.DoesNotContain(Password, failure?.ToString() ?? string.Empty, StringComparison.Ordinal);
    }

    private static void NoEngine(InferenceWorkerSetup worker) => worker.AddEngine = false;

    private static HostApplicationBuilder Builder(string connectionString)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:rabbitmq"] = connectionString,
            ["Worker:Id"] = "secrets-test",
        });
        builder.Services.AddSingleton<IInferenceEngine>(new FakeInferenceEngine((_, _) => FakeInferenceEngine.Tokens([])));
        return builder;
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
