using System.Net;
using System.Security.Cryptography;
using System.Text;
using InferenceCluster.Gateway;
using InferenceCluster.IntegrationTests.Cluster;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace InferenceCluster.IntegrationTests;

/// <summary>A key's requests per minute are counted across gateways in Redis, and per gateway while Redis is unreachable.</summary>
public sealed class SharedRateLimitTests
{
    private const string Key = "sk-shared-rate-test";
    private const int PerMinute = 3;
    private const string SlowRedisAllowance = "00:00:05";

    [Fact]
    public async Task TwoGateways_OneRedis_ShareTheKeysRate()
    {
        var prefix = $"inference-cluster-rate-it-{Guid.NewGuid():N}:";
        // A generous wait for Redis: on a busy machine a call can take longer than the 250 ms default, and a
        // gateway that gives up on Redis counts on its own, which is the other test's case, not this one's.
        await using var first = await StartAsync(ServerEnvironment.Redis(), prefix, SlowRedisAllowance);
        await using var second = await StartAsync(ServerEnvironment.Redis(), prefix, SlowRedisAllowance);
        await WaitForClientsAsync(ServerEnvironment.Redis(), gateways: 2);

        var statuses = new List<HttpStatusCode>();
        foreach (var gateway in new[] { first, second, first, second, first })
        {
            statuses.Add(await SendAsync(gateway));
        }

        // Within one minute window: three pass in all, whichever gateway took them. A minute boundary between
        // the requests would reset the count; then at most the first three of the new window pass.
        Assert.True(statuses.Count(status => status == HttpStatusCode.TooManyRequests) >= 1, string.Join(", ", statuses));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
    }

    [Fact]
    public async Task RedisUnreachable_EachGatewayStillCountsTheKeysRate()
    {
        await using var gateway = await StartAsync("127.0.0.1:1,connectTimeout=200", $"unused-{Guid.NewGuid():N}:");

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < PerMinute + 2; i++)
        {
            statuses.Add(await SendAsync(gateway));
        }

        Assert.All(statuses.Take(PerMinute), status => Assert.NotEqual(HttpStatusCode.TooManyRequests, status));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
    }

    /// <summary>Each gateway connects to Redis in the background as it starts; until then it counts on its own.</summary>
    private static async Task WaitForClientsAsync(string address, int gateways)
    {
        await using var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(address + ",allowAdmin=true");
        var server = redis.GetServers()[0];
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while ((await server.ClientListAsync()).Length < gateways + 1)
        {
            Assert.True(DateTime.UtcNow < until, $"{gateways} gateways did not connect to Redis within 30 s.");
            await Task.Delay(100);
        }
    }

    private static async Task<HttpStatusCode> SendAsync(RunningGateway gateway)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/models");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Key);
        using var response = await gateway.Http.SendAsync(request);
        return response.StatusCode;
    }

    private static async Task<RunningGateway> StartAsync(string redis, string prefix, string? redisTimeout = null)
    {
        var app = GatewayApp.Create(["--urls=http://127.0.0.1:0"], builder =>
        {
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            if (redisTimeout is not null)
            {
                builder.Configuration.AddInMemoryCollection([new("Gateway:Cache:RedisTimeout", redisTimeout)]);
            }

            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:rabbitmq"] = "",
                ["ConnectionStrings:redis"] = redis,
                ["Gateway:EmbeddedWorker"] = "false",
                ["Gateway:Cache:KeyPrefix"] = prefix,
                ["Gateway:ApiKeys:0:Name"] = "limited",
                ["Gateway:ApiKeys:0:Sha256"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Key))),
                ["Gateway:ApiKeys:0:Policy:RequestsPerMinute"] = PerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture),
            });
        });
        await app.StartAsync();
        return new RunningGateway(app);
    }

    private sealed class RunningGateway(WebApplication app) : IAsyncDisposable
    {
        public HttpClient Http { get; } = new() { BaseAddress = new Uri(app.Urls.First()) };

        public async ValueTask DisposeAsync()
        {
            Http.Dispose();
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
