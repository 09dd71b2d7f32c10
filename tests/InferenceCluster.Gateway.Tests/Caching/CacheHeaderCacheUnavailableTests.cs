using System.Net;
using InferenceCluster.Gateway.Tests.Fakes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using static InferenceCluster.Gateway.Tests.Wire;

namespace InferenceCluster.Gateway.Tests.Caching;

/// <summary>
/// A cache that cannot be asked (Redis down, slow or behind its open breaker) is not a miss: <c>miss</c> says the
/// request was looked up, so an answer no lookup could reach says <c>bypass</c>, and the request is still answered.
/// </summary>
public sealed class CacheHeaderCacheUnavailableTests
{
    [Fact]
    public async Task SeededRequest_RedisNotAnswering_BypassNotMiss()
    {
        var worker = new FakeWorkerState();
        var clock = new ShiftableClock();
        await using var gateway = await HermeticGateway.StartAsync(builder =>
        {
            builder.Logging.SetMinimumLevel(LogLevel.Critical);
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Gateway:EmbeddedWorker"] = "false",
                ["Gateway:WorkerLiveness"] = "01:00:00",

                // Nothing listens on port 1: every lookup fails within the cache's bound, then the breaker skips Redis.
                ["ConnectionStrings:redis"] = "127.0.0.1:1,connectTimeout=200",
            });
            FakeWorkerPool.Register(builder, GatewayFixture.Model, worker, clock);
        });
        await FakeWorkerPool.PassDiscoveryAsync(gateway.App, clock);
        await FakeWorkerPool.AnnounceAsync(gateway.App, gateway.Client, GatewayFixture.Model);
        var body = Chat(GatewayFixture.Model, "cache-unavailable-" + Guid.NewGuid().ToString("N"), ""","seed":5""");

        foreach (var attempt in new[] { 1, 2 })
        {
            using var response = await gateway.Client.PostAsync("/v1/chat/completions", Json(body));
            var text = await response.Content.ReadAsStringAsync();

            Assert.True(response.StatusCode == HttpStatusCode.OK, $"attempt {attempt}: {text}");
            Assert.Equal("bypass", Assert.Single(response.Headers.GetValues("X-Inference-Cache")));
        }
    }
}
