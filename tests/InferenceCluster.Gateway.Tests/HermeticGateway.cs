using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;

namespace InferenceCluster.Gateway.Tests;

/// <summary>
/// The gateway built exactly as production does, on a free loopback port, but never on servers the
/// environment names: the test runner exports <c>ConnectionStrings__*</c> for the integration tests, and
/// these tests are about the gateway alone (in-memory bus, in-process cache) unless a test sets them.
/// </summary>
internal sealed class HermeticGateway : IAsyncDisposable
{
    private HermeticGateway(WebApplication app)
    {
        App = app;
        Client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
    }

    public WebApplication App { get; }

    /// <summary>A client addressed to the running gateway.</summary>
    public HttpClient Client { get; }

    public static WebApplication Create(Action<WebApplicationBuilder>? configure = null) =>
        GatewayApp.Create(["--urls=http://127.0.0.1:0"], builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:rabbitmq"] = "",
                ["ConnectionStrings:redis"] = "",
            });
            configure?.Invoke(builder);
        });

    /// <summary>Creates and starts the gateway; disposing it stops it.</summary>
    public static async Task<HermeticGateway> StartAsync(Action<WebApplicationBuilder>? configure = null)
    {
        var app = Create(configure);
        try
        {
            await app.StartAsync();
            return new HermeticGateway(app);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
