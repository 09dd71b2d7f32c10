using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace InferenceCluster.Gateway.Tests.Hosting;

/// <summary>The AMQP heartbeat the gateway's RabbitMQ connection asks for: <c>Gateway:BrokerHeartbeat</c>, not the client library's 60 s.</summary>
public sealed class GatewayBrokerHeartbeatTests
{
    [Theory]
    [InlineData(null, "00:00:10")]
    [InlineData("00:00:20", "00:00:20")]
    public async Task Create_WithRabbitMq_AsksForTheBrokerHeartbeatSetting(string? setting, string requested)
    {
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:rabbitmq"] = "amqp://guest:guest@127.0.0.1:5672/",
            ["Gateway:EmbeddedWorker"] = "false",
        };
        if (setting is not null)
        {
            settings["Gateway:BrokerHeartbeat"] = setting;
        }

        await using var app = HermeticGateway.Create(builder => builder.Configuration.AddInMemoryCollection(settings));

        // The bus is made, not started: its probe describes the connection it would open.
        var probe = JsonSerializer.Serialize(app.Services.GetRequiredService<IBusControl>().GetProbeResult().Results);
        Assert.Contains($"\"heartbeat\":\"{requested}\"", probe, StringComparison.OrdinalIgnoreCase);
    }
}
