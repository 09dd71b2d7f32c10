using System.Net.Http.Json;
using System.Text.Json;
using InferenceCluster.Contracts;
using InferenceCluster.Gateway.Tests.Fakes;
using InferenceCluster.Gateway.Workers;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace InferenceCluster.Gateway.Tests;

/// <summary>
/// A real gateway on Kestrel (127.0.0.1, free port) with the in-memory transport, a fake worker for
/// <see cref="Model"/>, and a fake upstream for <see cref="UpstreamModel"/> behind a YARP HTTP route.
/// </summary>
public sealed class GatewayFixture : IAsyncLifetime
{
    public const string Model = "fake-model";
    public const string UpstreamModel = "upstream-model";

    /// <summary>
    /// Far longer than any healthy request takes, even on a loaded machine; a test of the deadline passes it at once
    /// with <see cref="PassDeadlines"/> rather than waiting for it.
    /// </summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromMinutes(1);

    private HermeticGateway? _gateway;

    public FakeWorkerState Worker { get; } = new();

    public FakeUpstream Upstream { get; } = new();

    public ShiftableClock Clock { get; } = new();

    /// <summary>What the gateway logged, warnings and above.</summary>
    public FakeLoggerProvider Logs { get; } = new();

    public IServiceProvider Services => _gateway!.App.Services;

    public HttpClient Client => _gateway!.Client;

    public async Task InitializeAsync()
    {
        await Upstream.StartAsync();
        _gateway = await HermeticGateway.StartAsync(builder =>
        {
            builder.Logging.SetMinimumLevel(LogLevel.Warning).AddProvider(Logs);
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
            FakeWorkerPool.Register(builder, Model, Worker, Clock);
        });

        // The tests meet a gateway that has heard its workers long enough to know which models they serve.
        await FakeWorkerPool.PassDiscoveryAsync(_gateway.App, Clock);
        await FakeWorkerPool.AnnounceAsync(_gateway.App, Client, Model);
    }

    /// <summary>
    /// Announces a worker of the model that says it reasons, so the gateway splits its answers at &lt;/think&gt;. Under an id of
    /// its own (<paramref name="idSuffix"/>): a heartbeat of the fixture's announce still in flight would otherwise overwrite it.
    /// </summary>
    public void AnnounceReasoningWorker(string idSuffix) => Services.GetRequiredService<WorkerRegistry>().Record(new WorkerHeartbeat
    {
        WorkerId = FakeWorkerConsumer.WorkerId + idSuffix, ModelId = Model, ModelRevision = FakeWorkerConsumer.Revision,
        Capacity = 4, InFlight = 0, ContextLength = 2048, SentAt = DateTimeOffset.UtcNow, IsReasoningModel = true,
    });

    /// <summary>Passes the deadline of every request running now; returns how many there were.</summary>
    public int PassDeadlines() => Clock.PassDeadlines(RequestTimeout);

    public async Task DisposeAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }

        await Upstream.DisposeAsync();
        Logs.Dispose();
    }
}
