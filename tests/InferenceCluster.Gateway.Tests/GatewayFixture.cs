using System.Net.Http.Json;
using System.Text.Json;
using InferenceCluster.Contracts;
using InferenceCluster.Gateway.Tests.Fakes;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace InferenceCluster.Gateway.Tests;

/// <summary>
/// A real gateway on Kestrel (127.0.0.1, free port) with the in-memory transport, a fake worker for
/// <see cref="Model"/>, and a fake upstream for <see cref="UpstreamModel"/> behind a YARP HTTP route.
/// </summary>
public sealed class GatewayFixture : IAsyncLifetime
{
    public const string Model = "fake-model";
    public const string UpstreamModel = "upstream-model";
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(2);

    private WebApplication? _app;

    public FakeWorkerState Worker { get; } = new();

    public FakeUpstream Upstream { get; } = new();

    public ShiftableClock Clock { get; } = new();

    public IServiceProvider Services => _app!.Services;

    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Upstream.StartAsync();
        _app = HermeticGateway.Create(builder =>
        {
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Gateway:EmbeddedWorker"] = "false",
                ["Gateway:RequestTimeout"] = RequestTimeout.ToString(),
                ["Gateway:WorkerLiveness"] = "01:00:00",
                ["Gateway:MaxRequestBodyBytes"] = "4096",
                ["ReverseProxy:Routes:upstream-chat:ClusterId"] = "upstream",
                ["ReverseProxy:Routes:upstream-chat:Match:Path"] = "/v1/chat/completions",
                ["ReverseProxy:Routes:upstream-chat:Match:Headers:0:Name"] = "X-Inference-Model",
                ["ReverseProxy:Routes:upstream-chat:Match:Headers:0:Values:0"] = UpstreamModel,
                ["ReverseProxy:Routes:upstream-chat:Match:Headers:0:Mode"] = "ExactHeader",
                ["ReverseProxy:Routes:upstream-chat:Metadata:OwnedBy"] = "test-upstream",
                ["ReverseProxy:Clusters:upstream:Destinations:primary:Address"] = Upstream.Address,
            });
            builder.Services.AddSingleton(Worker);
            builder.Services.AddSingleton<TimeProvider>(Clock);
            builder.ConfigureInferenceBus(bus =>
            {
                bus.AddConsumer<FakeWorkerConsumer>().Endpoint(endpoint => endpoint.Name = ModelQueue.Name(Model));
                bus.AddConsumer<FakeCancelConsumer>();
            });
        });
        await _app.StartAsync();
        Client = new HttpClient { BaseAddress = new Uri(_app.Urls.First()) };

        var bus = _app.Services.GetRequiredService<IBus>();
        await bus.Publish(new WorkerHeartbeat
        {
            WorkerId = FakeWorkerConsumer.WorkerId, ModelId = Model, ModelRevision = FakeWorkerConsumer.Revision,
            Capacity = 4, InFlight = 0, ContextLength = 2048, SentAt = DateTimeOffset.UtcNow,
        });
        await WaitForModelAsync(Model);
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        await Upstream.DisposeAsync();
    }

    private async Task WaitForModelAsync(string model)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var list = await Client.GetFromJsonAsync<JsonElement>("/v1/models");
            if (list.GetProperty("data").EnumerateArray().Any(entry => entry.GetProperty("id").GetString() == model))
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"The gateway never listed {model}.");
    }
}
