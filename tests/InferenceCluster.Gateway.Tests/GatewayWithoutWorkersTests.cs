using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace InferenceCluster.Gateway.Tests;

/// <summary>A gateway on the in-memory bus that no worker has announced itself to.</summary>
public sealed class GatewayWithoutWorkersTests : IAsyncLifetime
{
    private WebApplication? _app;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _app = HermeticGateway.Create(builder =>
        {
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Gateway:EmbeddedWorker"] = "false",
            });
        });
        await _app.StartAsync();
        _client = new HttpClient { BaseAddress = new Uri(_app.Urls.First()) };
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    [Fact]
    public async Task Health_NoLiveWorker_LiveButNotReady()
    {
        using var live = await _client.GetAsync("/health/live");
        using var ready = await _client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
    }

    [Fact]
    public async Task Models_NoLiveWorker_EmptyList()
    {
        var models = await _client.GetFromJsonAsync<JsonElement>("/v1/models");

        Assert.Equal("list", models.GetProperty("object").GetString());
        Assert.Equal(0, models.GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task ChatCompletions_NoWorkerEverSeen_Returns404()
    {
        using var response = await _client.PostAsync(
            "/v1/chat/completions",
            new StringContent("""{"model":"anything","messages":[{"role":"user","content":"x"}]}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
