using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
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

namespace InferenceCluster.Gateway.Tests.Policy;

/// <summary>
/// A real gateway on Kestrel with API keys configured, the appsettings profiles and coupled top_p, a fake
/// worker for <see cref="Model"/>, a model whose worker went silent (<see cref="StaleModel"/>) and an
/// in-flight limit of <see cref="MaxQueued"/> per model. Keys: <see cref="OpenKey"/> (no policy),
/// <see cref="PinnedKey"/> (top_p pinned 0.9, max_tokens capped 512), <see cref="RangedKey"/> (temperature
/// 0.1–1.0, top_p clamped into 0.5–0.92, max_tokens at most 4096, long outputs above 1024 tokens get 1.15), <see cref="LimitedKey"/>
/// (2 requests per minute).
/// </summary>
public sealed class PolicyGatewayFixture : IAsyncLifetime
{
    public const string Model = "fake-model";
    public const string StaleModel = "stale-model";
    public const string UpstreamModel = "upstream-model";
    public const string UpstreamModelWithColon = "upstream:v2";
    public const string OpenKey = "sk-open-0123456789";
    public const string PinnedKey = "sk-pinned-0123456789";
    public const string RangedKey = "sk-ranged-0123456789";
    public const string LimitedKey = "sk-limited-0123456789";
    public const string MeteredKey = "sk-metered-0123456789";
    public const int MeteredPerMinute = 1000;
    public const int MaxQueued = 2;

    /// <summary>
    /// Far longer than any healthy request takes, even on a loaded machine; a test of the deadline passes it at once
    /// with <see cref="SendPastDeadlineAsync"/> or <see cref="PassDeadlines"/> rather than waiting for it.
    /// </summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromMinutes(1);

    private HermeticGateway? _gateway;

    public FakeWorkerState Worker { get; } = new();

    public ShiftableClock Clock { get; } = new();

    public FakeUpstream Upstream { get; } = new();

    public IServiceProvider Services => _gateway!.App.Services;

    /// <summary>A client without credentials; use <see cref="Send"/> to add a key.</summary>
    public HttpClient Client => _gateway!.Client;

    public static string Sha256Hex(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public async Task<HttpResponseMessage> Send(string? key, string json, string path = "/v1/chat/completions", CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return await Client.SendAsync(request, cancellationToken);
    }

    /// <summary>Passes the deadline of every request running now; returns how many there were.</summary>
    public int PassDeadlines() => Clock.PassDeadlines(RequestTimeout);

    /// <summary>
    /// Sends a request the fake worker never answers (its last message is <paramref name="prompt"/>), checks it is
    /// still unanswered once the worker holds it, then passes its deadline and returns the answer.
    /// </summary>
    public async Task<HttpResponseMessage> SendPastDeadlineAsync(string? key, string json, string prompt)
    {
        var received = Worker.CountFor(prompt);
        var call = Send(key, json);
        await Eventually.TrueAsync(() => Worker.CountFor(prompt) > received);
        Assert.False(call.IsCompleted, "a request the worker never answers was answered before its deadline");
        Assert.True(PassDeadlines() > 0, "no request deadline was running");
        return await call.WaitAsync(TimeSpan.FromSeconds(30));
    }

    public async Task InitializeAsync()
    {
        await Upstream.StartAsync();
        _gateway = await HermeticGateway.StartAsync(builder =>
        {
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Gateway:EmbeddedWorker"] = "false",
                ["Gateway:RequestTimeout"] = RequestTimeout.ToString(),
                ["Gateway:WorkerLiveness"] = "00:10:00",
                ["Gateway:MaxRequestBodyBytes"] = "4096",
                ["Gateway:MaxQueuedPerModel"] = MaxQueued.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["ReverseProxy:Routes:upstream-chat:ClusterId"] = "upstream",
                ["ReverseProxy:Routes:upstream-chat:Match:Path"] = "/v1/chat/completions",
                ["ReverseProxy:Routes:upstream-chat:Match:Headers:0:Name"] = "X-Inference-Model",
                ["ReverseProxy:Routes:upstream-chat:Match:Headers:0:Values:0"] = UpstreamModel,
                ["ReverseProxy:Routes:upstream-chat:Match:Headers:0:Values:1"] = UpstreamModelWithColon,
                ["ReverseProxy:Routes:upstream-chat:Match:Headers:0:Mode"] = "ExactHeader",
                ["ReverseProxy:Clusters:upstream:Destinations:primary:Address"] = Upstream.Address,
                ["Gateway:ApiKeys:0:Name"] = "open",
                ["Gateway:ApiKeys:0:Sha256"] = Sha256Hex(OpenKey),
                ["Gateway:ApiKeys:1:Name"] = "pinned",
                ["Gateway:ApiKeys:1:Sha256"] = Sha256Hex(PinnedKey),
                ["Gateway:ApiKeys:1:Policy:Pins:top_p"] = "0.9",
                ["Gateway:ApiKeys:1:Policy:MaxTokensCap"] = "512",
                ["Gateway:ApiKeys:2:Name"] = "ranged",
                ["Gateway:ApiKeys:2:Sha256"] = Sha256Hex(RangedKey).ToUpperInvariant(),
                ["Gateway:ApiKeys:2:Policy:Ranges:temperature:Min"] = "0.1",
                ["Gateway:ApiKeys:2:Policy:Ranges:temperature:Max"] = "1.0",
                ["Gateway:ApiKeys:2:Policy:Ranges:top_p:Min"] = "0.5",
                ["Gateway:ApiKeys:2:Policy:Ranges:top_p:Max"] = "0.92",
                ["Gateway:ApiKeys:2:Policy:Ranges:max_tokens:Max"] = "4096",
                ["Gateway:ApiKeys:2:Policy:LongOutput:AboveTokens"] = "1024",
                ["Gateway:ApiKeys:2:Policy:LongOutput:RepetitionPenalty"] = "1.15",
                ["Gateway:ApiKeys:3:Name"] = "limited",
                ["Gateway:ApiKeys:3:Sha256"] = Sha256Hex(LimitedKey),
                ["Gateway:ApiKeys:3:Policy:RequestsPerMinute"] = "2",
                ["Gateway:ApiKeys:4:Name"] = "metered",
                ["Gateway:ApiKeys:4:Sha256"] = Sha256Hex(MeteredKey),
                ["Gateway:ApiKeys:4:Policy:RequestsPerMinute"] = MeteredPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture),
            });
            FakeWorkerPool.Register(builder, Model, Worker, Clock);
        });

        // The tests meet a gateway that has heard its workers long enough to know which models they serve.
        await FakeWorkerPool.PassDiscoveryAsync(_gateway.App, Clock);
        await FakeWorkerPool.AnnounceAsync(_gateway.App, Client, Model, OpenKey);

        // A worker that announced the stale model an hour ago and then went silent. Only after the live
        // model's heartbeat was recorded: the registry reads this clock, and that heartbeat must not be "old".
        var now = Clock.Offset;
        Clock.Offset = now - TimeSpan.FromHours(1);
        _gateway.App.Services.GetRequiredService<WorkerRegistry>().Record(new WorkerHeartbeat
        {
            WorkerId = "gone", ModelId = StaleModel, ModelRevision = "r", Capacity = 1, InFlight = 0, ContextLength = 2048, SentAt = DateTimeOffset.UtcNow,
        });
        Clock.Offset = now;
    }

    public async Task DisposeAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }

        await Upstream.DisposeAsync();
    }
}
