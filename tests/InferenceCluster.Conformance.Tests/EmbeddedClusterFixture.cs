using System.ClientModel;
using System.Net.Http.Json;
using System.Text.Json;
using InferenceCluster.Gateway;
using InferenceCluster.Inference.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using OpenAI;

namespace InferenceCluster.Conformance.Tests;

/// <summary>
/// One gateway in its default configuration (in-memory bus, embedded worker, real engine, bundled test
/// model) shared by the conformance tests, with an OpenAI SDK client and a raw HTTP client pointed at it.
/// </summary>
public sealed class EmbeddedClusterFixture : IAsyncLifetime
{
    public const string Model = TestModel.Id;

    private WebApplication? _app;

    public HttpClient Http { get; private set; } = null!;

    public OpenAIClient OpenAI { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _app = GatewayApp.Create(["--urls=http://127.0.0.1:0"], builder =>
        {
            builder.Logging.SetMinimumLevel(LogLevel.Warning);

            // The default embedded mode even when the test runner exports broker and Redis addresses.
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:rabbitmq"] = string.Empty,
                ["ConnectionStrings:redis"] = string.Empty,
            });
        });
        await _app.StartAsync();
        var address = new Uri(_app.Urls.First());
        Http = new HttpClient { BaseAddress = address };
        OpenAI = new OpenAIClient(new ApiKeyCredential("unused"), new OpenAIClientOptions { Endpoint = new Uri(address, "/v1") });

        for (var attempt = 0; attempt < 300; attempt++)
        {
            var list = await Http.GetFromJsonAsync<JsonElement>("/v1/models");
            if (list.GetProperty("data").EnumerateArray().Any(entry => entry.GetProperty("id").GetString() == Model))
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The embedded worker never announced {Model}.");
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
