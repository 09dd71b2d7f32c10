using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using InferenceCluster.Gateway.Broker;
using InferenceCluster.Gateway.Streaming;
using InferenceCluster.Inference.Hosting;
using InferenceCluster.ServiceDefaults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace InferenceCluster.Gateway.Tests.Broker;

/// <summary>Replacing the gateway's own endpoints on a real (in-memory) bus: they receive again on the same queue.</summary>
public sealed class OwnReceiveEndpointTests
{
    [Fact]
    public async Task ReplaceAsync_ReplyEndpoint_ReceivesAgainOnTheSameQueue()
    {
        await using var gateway = await HermeticGateway.StartAsync(builder => builder.Logging.SetMinimumLevel(LogLevel.Warning));
        await WaitForModelAsync(gateway.Client);
        var services = gateway.App.Services;
        var reply = services.GetServices<IProbedEndpoint>().Single(endpoint => endpoint.Name.StartsWith("gateway-replies-", StringComparison.Ordinal));
        var connection = services.GetRequiredService<BusConnection>();
        var address = services.GetRequiredService<ReplyEndpoint>().Address;
        Assert.True(reply.IsReady);

        await reply.ReplaceAsync("a test replaces it", CancellationToken.None);
        await WaitUntilAsync(() => reply.IsReady && connection.IsUp);

        // Nothing the old endpoint reports while it stops may take the bus down again.
        await Task.Delay(500);
        Assert.True(connection.IsUp);
        Assert.Equal(address, services.GetRequiredService<ReplyEndpoint>().Address);

        var request = $$"""{"model":"{{TestModel.Id}}","messages":[{"role":"user","content":"After the replacement"}],"temperature":0,"max_tokens":4}""";
        using var answer = await gateway.Client.PostAsync("/v1/chat/completions", new StringContent(request, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
    }

    [Fact]
    public async Task CheckAllAsync_AllEndpointsReceive_ReplacesNothing()
    {
        await using var gateway = await HermeticGateway.StartAsync(builder => builder.Logging.SetMinimumLevel(LogLevel.Warning));
        var services = gateway.App.Services;
        var endpoints = services.GetServices<IProbedEndpoint>().ToList();
        await WaitUntilAsync(() => endpoints.All(endpoint => endpoint.IsReady));
        var check = services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<ReceiveSelfCheck>().Single();
        var connection = services.GetRequiredService<BusConnection>();

        // A real probe through the bus to each endpoint and back, within the default timeout.
        await check.CheckAllAsync(CancellationToken.None);

        Assert.All(endpoints, endpoint => Assert.True(endpoint.IsReady));
        Assert.All(endpoints, endpoint => Assert.True(endpoint.Deliveries >= 1, $"{endpoint.Name} counted no delivery"));
        Assert.True(connection.IsUp);
        Assert.Equal(0, services.GetRequiredService<ReceiveProbes>().Count);
    }

    private static async Task WaitForModelAsync(HttpClient client)
    {
        await WaitUntilAsync(async () =>
        {
            var list = await client.GetFromJsonAsync<JsonElement>("/v1/models");
            return list.GetProperty("data").EnumerateArray().Any(entry => entry.GetProperty("id").GetString() == TestModel.Id);
        });
    }

    private static Task WaitUntilAsync(Func<bool> condition) => WaitUntilAsync(() => Task.FromResult(condition()));

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        for (var waited = 0; !await condition(); waited += 50)
        {
            Assert.True(waited < 30_000, "the condition did not come true within 30 s");
            await Task.Delay(50);
        }
    }
}
