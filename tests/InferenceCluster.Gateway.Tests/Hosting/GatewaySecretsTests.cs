using System.Globalization;
using System.Net;
using System.Net.Sockets;
using InferenceCluster.Gateway.Tests.Fakes;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;

namespace InferenceCluster.Gateway.Tests.Hosting;

/// <summary>
/// What the gateway may contact and print: no usage report to MassTransit's vendor, and no password from a
/// connection string in any log line or error, whether the server is unreachable or the setting malformed.
/// </summary>
public sealed class GatewaySecretsTests
{
    private const string Password = "Pa55-w0rd-never-printed";
    private const string User = "user-never-printed";

    [Theory]
    [InlineData("")]
    [InlineData($"amqp://guest:{Password}@127.0.0.1:5672/")]
    public void Create_AnyTransport_TurnsMassTransitUsageTelemetryOff(string rabbitMq)
    {
        var app = HermeticGateway.Create(builder => builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:rabbitmq"] = rabbitMq,
            ["Gateway:EmbeddedWorker"] = "false",
        }));

        Assert.False(app.Services.GetRequiredService<IOptions<UsageTelemetryOptions>>().Value.Enabled);
    }

    [Fact]
    public void Create_MalformedRabbitMqUriWithPassword_NamesTheSettingButNotThePassword()
    {
        var error = Record.Exception(() => HermeticGateway.Create(builder => builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:rabbitmq"] = $"amqp//guest:{Password}@127.0.0.1:5672/",
        })).Services.GetRequiredService<IBus>());

        Assert.NotNull(error);
        Assert.Contains("ConnectionStrings__rabbitmq", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Password, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_RabbitMqUnreachable_NoLogLineCarriesThePassword()
    {
        using var logs = new FakeLoggerProvider();
        var app = HermeticGateway.Create(builder =>
        {
            builder.Logging.SetMinimumLevel(LogLevel.Debug).AddProvider(logs);
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:rabbitmq"] = $"amqp://{User}:{Password}@127.0.0.1:{ClosedPort()}/",
            });
        });
        await app.StartAsync();

        // The lines that could carry the address: MassTransit's report of the failed connection, and the gateway's own.
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!logs.Collector.GetSnapshot().Any(ReportsTheBrokerDown))
        {
            Assert.True(DateTime.UtcNow < until, "neither MassTransit nor the gateway reported the unreachable broker within 30 s");
            await Task.Delay(100);
        }

        await app.StopAsync();
        await app.DisposeAsync();

        AssertNoPassword(logs);

        // MassTransit's own lines name the broker with its user (its exception's message); ours do not.
        Assert.All(logs.Collector.GetSnapshot().Where(record => record.Category?.StartsWith("MassTransit", StringComparison.Ordinal) != true), record =>
        {
            Assert.DoesNotContain(User, record.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(User, record.Exception?.ToString() ?? string.Empty, StringComparison.Ordinal);
        });
    }

    [Theory]
    [InlineData("{0}:{1},password={2},connectTimeout=500")]
    [InlineData("redis://:{2}@{0}:{1}")]
    [InlineData("redis://:{2}@and-more@{0}:{1}")]
    public async Task Completion_RedisUnreachable_NoLogLineCarriesThePassword(string form)
    {
        using var logs = new FakeLoggerProvider();
        var worker = new FakeWorkerState();
        await using var gateway = await HermeticGateway.StartAsync(builder =>
        {
            builder.Logging.SetMinimumLevel(LogLevel.Debug).AddProvider(logs);
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Gateway:EmbeddedWorker"] = "false",
                ["ConnectionStrings:redis"] = string.Format(CultureInfo.InvariantCulture, form, "127.0.0.1", ClosedPort(), Password),
            });
            FakeWorkerPool.Register(builder, GatewayFixture.Model, worker, TimeProvider.System);
        });
        await FakeWorkerPool.AnnounceAsync(gateway.App, gateway.Client, GatewayFixture.Model);

        // Until the first connect attempt has failed, the cache is skipped without a word; then each call fails and says so.
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!logs.Collector.GetSnapshot().Any(record => record.Message.StartsWith("Redis", StringComparison.Ordinal)))
        {
            Assert.True(DateTime.UtcNow < until, "the gateway never reported Redis as unavailable");
            using var response = await gateway.Client.PostAsync(
                "/v1/chat/completions", Wire.Json(Wire.Chat(GatewayFixture.Model, "secrets", ""","temperature":0""")));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await Task.Delay(100);
        }

        AssertNoPassword(logs);
    }

    private static bool ReportsTheBrokerDown(FakeLogRecord record) =>
        (record.Category?.StartsWith("MassTransit", StringComparison.Ordinal) == true && record.Level >= LogLevel.Warning)
        || record.Message.StartsWith("Message bus down", StringComparison.Ordinal);

    private static void AssertNoPassword(FakeLoggerProvider logs)
    {
        var records = logs.Collector.GetSnapshot();
        Assert.NotEmpty(records);
        Assert.All(records, record =>
        {
            Assert.DoesNotContain(Password, record.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(Password, record.Exception?.ToString() ?? string.Empty, StringComparison.Ordinal);
        });
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
