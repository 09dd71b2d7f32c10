using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace InferenceCluster.Gateway.Tests.Hosting;

/// <summary>
/// A gateway whose stop has begun while its web server still accepts requests, as between SIGTERM and the
/// server closing its listener, or on a client's pooled keep-alive connection during the drain.
/// </summary>
public sealed class GatewayStoppingTests : IAsyncLifetime
{
    private HermeticGateway? _gateway;

    private HermeticGateway Gateway => _gateway!;

    public async Task InitializeAsync() => _gateway = await HermeticGateway.StartAsync();

    public async Task DisposeAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }
    }

    [Fact]
    public async Task Stopping_NewApiRequests_503ShuttingDownAndConnectionClosed()
    {
        using (var before = await Gateway.Client.GetAsync("/v1/models"))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        Gateway.App.Lifetime.StopApplication();

        using var models = await Gateway.Client.GetAsync("/v1/models");
        using var chat = await Gateway.Client.PostAsJsonAsync("/v1/chat/completions", new
        {
            model = "deepseek-r1-test-tiny",
            messages = new[] { new { role = "user", content = "What is 17 + 25?" } },
        });

        foreach (var response in new[] { models, chat })
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.True(response.Headers.ConnectionClose, "the connection should close so that a retry reaches another gateway");
            Assert.NotNull(response.Headers.RetryAfter);
            var error = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
            Assert.Equal("server_shutting_down", error.GetProperty("code").GetString());
            Assert.Equal("server_error", error.GetProperty("type").GetString());
        }
    }

    [Fact]
    public async Task Stopping_ReadyGatewayTurnsNotReadyButStaysLive()
    {
        // Ready first (the embedded worker has announced itself), so that not-ready below is the stop's doing.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (await ReadyStatusAsync() != HttpStatusCode.OK)
        {
            Assert.True(DateTime.UtcNow < deadline, "the gateway with its embedded worker never became ready");
            await Task.Delay(100);
        }

        Gateway.App.Lifetime.StopApplication();

        using var live = await Gateway.Client.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await ReadyStatusAsync());
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    private async Task<HttpStatusCode> ReadyStatusAsync()
    {
        using var ready = await Gateway.Client.GetAsync("/health/ready");
        return ready.StatusCode;
    }
}
