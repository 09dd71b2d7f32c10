using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using InferenceCluster.Gateway;
using InferenceCluster.IntegrationTests.Cluster;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Playwright;

namespace InferenceCluster.Playground.Tests;

/// <summary>
/// The playground as an operator runs it: the real gateway on Kestrel with an API key (whose policy pins the
/// repetition penalty) and a trace link template, one real worker (the bundled test model on ONNX Runtime GenAI) behind RabbitMQ, and Debian's
/// chromium driven by Playwright. Both services' logs are recorded, and so is the trace id of every HTTP
/// request the gateway served.
/// </summary>
public sealed class PlaygroundFixture : IAsyncLifetime
{
    public const string Model = ClusterFixture.Model;
    public const string Key = "sk-playground-0123456789abcdef";
    public const string TraceUrlTemplate = "http://127.0.0.1:18888/traces/detail/{traceId}";

    /// <summary>The key's policy pins this value, so every answer shows a value the server set.</summary>
    public const double PinnedRepetitionPenalty = 1.05;

    /// <summary>A profile that sets a floor of its own (min_tokens 24, max_tokens 32): server-chosen limits.</summary>
    public const string FloorProfile = "floor";

    private static readonly TimeSpan StartPatience = TimeSpan.FromSeconds(60);

    private readonly string _run = Guid.NewGuid().ToString("N")[..12];
    private readonly ConcurrentQueue<ActivityTraceId> _serverTraces = new();
    private ActivityListener? _listener;
    private WebApplication? _gateway;
    private IPlaywright? _playwright;

    public ClusterWorker Worker { get; private set; } = null!;

    public Uri Address { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public FakeLoggerProvider GatewayLogs { get; } = new();

    /// <summary>The test gateway's streams that end only when the page closes them.</summary>
    internal StreamWithoutEnd EndlessStreams { get; } = new();

    public FakeLoggerProvider WorkerLogs { get; } = new();

    /// <summary>Trace ids of the HTTP requests the gateway served.</summary>
    public IReadOnlyCollection<string> ServerTraceIds => [.. _serverTraces.Select(id => id.ToHexString())];

    public async Task InitializeAsync()
    {
        // Before anything else: without a browser there is nothing to test, and the message says how to get one.
        var chromium = SystemChromium.Path();

        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = activity => _serverTraces.Enqueue(activity.TraceId),
        };
        ActivitySource.AddActivityListener(_listener);

        var broker = ServerEnvironment.RabbitMq();
        Worker = await ClusterWorker.StartAsync(broker, $"playground-worker-{_run}", maxConcurrency: 4, logging => logging.AddProvider(WorkerLogs));
        _gateway = GatewayApp.Create(["--urls=http://127.0.0.1:0"], builder =>
        {
            // Recorded rather than printed: the cancel test reads Information lines, which would flood the console.
            builder.Logging.ClearProviders();
            builder.Logging.AddProvider(GatewayLogs);
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:rabbitmq"] = broker.ToString(),

                // The in-process cache: these tests are about the page, and Redis adds nothing to what it shows.
                ["ConnectionStrings:redis"] = "",
                ["Gateway:ApiKeys:0:Name"] = "playground",
                ["Gateway:ApiKeys:0:Sha256"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Key))),
                ["Gateway:ApiKeys:0:Policy:Pins:repetition_penalty"] = PinnedRepetitionPenalty.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Gateway:Playground:TraceUrlTemplate"] = TraceUrlTemplate,
                [$"Gateway:Profiles:{FloorProfile}:MinTokens"] = "24",
                [$"Gateway:Profiles:{FloorProfile}:MaxTokens"] = "32",
            });
        });
        EndlessStreams.Map(_gateway);
        StreamInPieces.Map(_gateway);
        await _gateway.StartAsync();
        Address = new Uri(_gateway.Urls.First());
        await WaitUntilServedAsync();

        _playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = chromium, Headless = true });
        Assertions.SetDefaultExpectTimeout(30_000);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_gateway is not null)
        {
            await _gateway.StopAsync();
            await _gateway.DisposeAsync();
        }

        if (Worker is not null)
        {
            await Worker.DisposeAsync();
        }

        _listener?.Dispose();
        GatewayLogs.Dispose();
        WorkerLogs.Dispose();
    }

    /// <summary>
    /// A fresh browser profile (its own storage, so no key is remembered from another test); with <paramref name="touch"/>
    /// a touch screen, whose pointer is coarse.
    /// </summary>
    public Task<IBrowserContext> NewContextAsync(int width = 1280, int height = 860, bool touch = false) =>
        Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height }, HasTouch = touch });

    /// <summary>The worker's engine runs whose last message is <paramref name="prompt"/>.</summary>
    public IReadOnlyList<EngineRun> RunsFor(string prompt) => [.. Worker.Engine.Runs.Where(run => run.Prompt == prompt)];

    private async Task WaitUntilServedAsync()
    {
        using var http = new HttpClient { BaseAddress = Address };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        if (await ServedModels.WaitForAsync(http, Model, StartPatience))
        {
            return;
        }

        throw new TimeoutException($"The gateway did not list {Model} within {StartPatience.TotalSeconds:0} s: no worker heartbeat arrived over RabbitMQ.");
    }
}
