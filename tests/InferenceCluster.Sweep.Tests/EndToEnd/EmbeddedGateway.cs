using System.Net.Http.Json;
using System.Text.Json;
using InferenceCluster.Inference.Hosting;
using InferenceCluster.Gateway;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace InferenceCluster.Sweep.Tests.EndToEnd;

/// <summary>
/// The gateway in its default configuration — embedded worker, real engine, bundled test model — on a
/// free loopback port. The test runner exports <c>ConnectionStrings__*</c> for the integration tests;
/// they are blanked here so the run stays on the in-memory bus and cache and never meets another
/// test's workers on a shared broker.
/// </summary>
internal static class EmbeddedGateway
{
    /// <summary>
    /// Tests that start an embedded gateway run one at a time: the worker's spans are read through a
    /// process-wide listener, which would otherwise see another test's requests.
    /// </summary>
    public const string Collection = "embedded gateway";

    public static WebApplication Create() =>
        GatewayApp.Create(["--urls=http://127.0.0.1:0"], builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:rabbitmq"] = "",
                ["ConnectionStrings:redis"] = "",
            });
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
        });

    /// <summary>Starts the gateway and returns once its embedded worker serves the test model.</summary>
    public static async Task<WebApplication> StartAsync()
    {
        var app = Create();
        await app.StartAsync();
        await WaitForModelAsync(new Uri(app.Urls.First()));
        return app;
    }

    public static async Task StopAsync(WebApplication? app)
    {
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    private static async Task WaitForModelAsync(Uri baseUrl)
    {
        using var client = new HttpClient { BaseAddress = baseUrl };
        for (var attempt = 0; attempt < 300; attempt++)
        {
            var list = await client.GetFromJsonAsync<JsonElement>("/v1/models");
            if (list.GetProperty("data").EnumerateArray().Any(e => e.GetProperty("id").GetString() == TestModel.Id))
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The embedded worker never announced {TestModel.Id}.");
    }
}
