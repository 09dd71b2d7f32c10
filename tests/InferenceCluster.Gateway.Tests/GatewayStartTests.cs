using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using InferenceCluster.Gateway.Tests.Fakes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using static InferenceCluster.Gateway.Tests.Wire;

namespace InferenceCluster.Gateway.Tests;

/// <summary>
/// A gateway just started, which has not yet heard heartbeats for <c>Gateway:WorkerLiveness</c> and so cannot tell
/// a model nobody serves from one whose workers it has not heard yet: such a model is a retryable 503, not a 404.
/// Models it knows (announced, forwarded by a route, profiles of those) are served as usual.
/// </summary>
public sealed class GatewayStartTests : IAsyncLifetime
{
    private const string Model = "fake-model";
    private const string UpstreamModel = "upstream-model";
    private static readonly TimeSpan Liveness = TimeSpan.FromMinutes(10);

    private readonly ShiftableClock _clock = new();
    private readonly FakeWorkerState _worker = new();
    private readonly FakeUpstream _upstream = new();
    private HermeticGateway? _gateway;

    private HttpClient Client => _gateway!.Client;

    public async Task InitializeAsync()
    {
        await _upstream.StartAsync();
        _gateway = await HermeticGateway.StartAsync(builder =>
        {
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Gateway:EmbeddedWorker"] = "false",
                ["Gateway:WorkerLiveness"] = Liveness.ToString(),
                ["ReverseProxy:Routes:upstream-chat:ClusterId"] = "upstream",
                ["ReverseProxy:Routes:upstream-chat:Match:Path"] = "/v1/chat/completions",
                ["ReverseProxy:Routes:upstream-chat:Match:Headers:0:Name"] = "X-Inference-Model",
                ["ReverseProxy:Routes:upstream-chat:Match:Headers:0:Values:0"] = UpstreamModel,
                ["ReverseProxy:Routes:upstream-chat:Match:Headers:0:Mode"] = "ExactHeader",
                ["ReverseProxy:Clusters:upstream:Destinations:primary:Address"] = _upstream.Address,
            });
            FakeWorkerPool.Register(builder, Model, _worker, _clock);
        });
    }

    public async Task DisposeAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }

        await _upstream.DisposeAsync();
    }

    [Theory]
    [InlineData("no-such-model")]
    [InlineData("no-such-model:no-such-profile")]
    [InlineData(Model + ":no-such-profile")]
    public async Task ChatCompletions_UnknownModelRightAfterStart_Returns503ModelUnavailableWithRetryAfter(string model)
    {
        await FakeWorkerPool.AnnounceAsync(_gateway!.App, Client, Model);

        using var response = await Client.PostAsync("/v1/chat/completions", Json(Chat(model, "x")));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var error = await ErrorOf(response);
        Assert.Equal("model_unavailable", error.GetProperty("code").GetString());
        Assert.Equal("server_error", error.GetProperty("type").GetString());
        Assert.Equal("model", error.GetProperty("param").GetString());
        Assert.Contains("still learning which models its workers serve", error.GetProperty("message").GetString(), StringComparison.Ordinal);

        // Retry once the gateway has heard heartbeats for the liveness window, which began when it could hear them.
        Assert.InRange(response.Headers.RetryAfter?.Delta ?? TimeSpan.Zero, Liveness - TimeSpan.FromMinutes(1), Liveness);
    }

    [Fact]
    public async Task ChatCompletions_UnknownModelOnceHeardForLiveness_Returns404()
    {
        await FakeWorkerPool.PassDiscoveryAsync(_gateway!.App, _clock);

        using var response = await Client.PostAsync("/v1/chat/completions", Json(Chat("no-such-model", "x")));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("model_not_found", (await ErrorOf(response)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task GetModel_UnknownModelRightAfterStart_Returns503ThenOnceHeardForLiveness404()
    {
        using (var early = await Client.GetAsync("/v1/models/no-such-model"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, early.StatusCode);
            Assert.Equal("model_unavailable", (await ErrorOf(early)).GetProperty("code").GetString());
            Assert.NotNull(early.Headers.RetryAfter);
        }

        await FakeWorkerPool.PassDiscoveryAsync(_gateway!.App, _clock);
        using var late = await Client.GetAsync("/v1/models/no-such-model");

        Assert.Equal(HttpStatusCode.NotFound, late.StatusCode);
        Assert.Equal("model_not_found", (await ErrorOf(late)).GetProperty("code").GetString());
    }

    [Theory]
    [InlineData(Model)]
    [InlineData(Model + ":math")]
    [InlineData(UpstreamModel)]
    public async Task ChatCompletions_KnownModelRightAfterStart_Answered(string model)
    {
        await FakeWorkerPool.AnnounceAsync(_gateway!.App, Client, Model);

        using var response = await Client.PostAsync("/v1/chat/completions", Json(Chat(model, "x")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ModelsAndReadiness_RightAfterStart_ReportWhatIsHeardWithoutWaitingForTheWindow()
    {
        await FakeWorkerPool.AnnounceAsync(_gateway!.App, Client, Model);

        var models = await Client.GetFromJsonAsync<JsonElement>("/v1/models");
        using var ready = await Client.GetAsync("/health/ready");

        Assert.Equal(
            [Model, UpstreamModel],
            models.GetProperty("data").EnumerateArray().Select(entry => entry.GetProperty("id").GetString()).Order(StringComparer.Ordinal));
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }
}
