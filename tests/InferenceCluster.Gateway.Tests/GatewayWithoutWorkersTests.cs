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
    private HermeticGateway? _gateway;

    private HttpClient Client => _gateway!.Client;

    public async Task InitializeAsync()
    {
        _gateway = await HermeticGateway.StartAsync(builder =>
        {
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Gateway:EmbeddedWorker"] = "false",
            });
        });
    }

    public async Task DisposeAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }
    }

    [Fact]
    public async Task Health_NoLiveWorker_LiveButNotReady()
    {
        using var live = await Client.GetAsync("/health/live");
        using var ready = await Client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
    }

    [Fact]
    public async Task Models_NoLiveWorker_EmptyList()
    {
        var models = await Client.GetFromJsonAsync<JsonElement>("/v1/models");

        Assert.Equal("list", models.GetProperty("object").GetString());
        Assert.Equal(0, models.GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task ChatCompletions_NoWorkerEverSeen_Returns404()
    {
        using var response = await Client.PostAsync(
            "/v1/chat/completions",
            new StringContent("""{"model":"anything","messages":[{"role":"user","content":"x"}]}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
