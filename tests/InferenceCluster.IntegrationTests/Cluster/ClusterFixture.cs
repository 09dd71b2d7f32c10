using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text.Json;
using InferenceCluster.Gateway;
using InferenceCluster.Inference.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using OpenAI;
using OpenAI.Chat;
using StackExchange.Redis;

namespace InferenceCluster.IntegrationTests.Cluster;

/// <summary>
/// The cluster on real servers: one gateway on Kestrel (127.0.0.1, free port) and two workers, each with its
/// own engine instance of the bundled test model, all talking through RabbitMQ, with the cache in Redis.
/// Cache keys carry a prefix unique to this run, so runs sharing a Redis never answer each other; within a
/// run, each test uses prompts of its own.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public const string Model = TestModel.Id;

    /// <summary>A profile with min_tokens 2000 (and max_tokens 2048): a floor the workers fit to the room a prompt leaves.</summary>
    public const string FloorProfile = "floor";

    /// <summary>Per worker; two workers give the cluster eight slots.</summary>
    public const int WorkerConcurrency = 4;

    internal static readonly bool ShowLogs = Environment.GetEnvironmentVariable("CLUSTER_TEST_LOGS") == "1";

    private static readonly TimeSpan StartPatience = TimeSpan.FromSeconds(60);

    private readonly string _run = Guid.NewGuid().ToString("N")[..12];
    private readonly List<ClusterWorker> _workers = [];
    private WebApplication? _gateway;
    private ConnectionMultiplexer? _redis;

    public IReadOnlyList<ClusterWorker> Workers => _workers;

    public HttpClient Http { get; private set; } = null!;

    public OpenAIClient OpenAI { get; private set; } = null!;

    public ChatClient Chat => OpenAI.GetChatClient(Model);

    /// <summary>Prefix of this run's cache keys in Redis.</summary>
    public string CacheKeyPrefix => $"inference-cluster-it-{_run}:";

    public IDatabase Redis => _redis!.GetDatabase();

    public async Task InitializeAsync()
    {
        var broker = ServerEnvironment.RabbitMq();
        var redis = ServerEnvironment.Redis();

        _redis = await ConnectRedisAsync(redis);
        _workers.Add(await ClusterWorker.StartAsync(broker, $"it-worker-a-{_run}", WorkerConcurrency));
        _workers.Add(await ClusterWorker.StartAsync(broker, $"it-worker-b-{_run}", WorkerConcurrency));

        _gateway = GatewayApp.Create(["--urls=http://127.0.0.1:0"], builder =>
        {
            builder.Logging.SetMinimumLevel(ShowLogs ? LogLevel.Information : LogLevel.Warning);
            builder.Logging.AddSimpleConsole(console => console.TimestampFormat = "HH:mm:ss.fff ");
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:rabbitmq"] = broker.ToString(),
                ["ConnectionStrings:redis"] = redis,
                ["Gateway:Cache:KeyPrefix"] = CacheKeyPrefix,

                // Queue depths read from the broker twice a second, so a test sees them move without waiting long.
                ["Gateway:QueueDepthInterval"] = "00:00:00.500",

                // The test model never leaves its reasoning, so split output would leave content empty; these
                // tests compare generated text, which the SDK exposes only as content.
                ["Gateway:SeparateReasoning"] = "false",

                // A profile whose floor no prompt of the long-prompt tests leaves room for (ContextFitTests).
                [$"Gateway:Profiles:{FloorProfile}:MaxTokens"] = "2048",
                [$"Gateway:Profiles:{FloorProfile}:MinTokens"] = "2000",
            });
        });
        await _gateway.StartAsync();

        var address = new Uri(_gateway.Urls.First());
        Http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(2) };
        OpenAI = new OpenAIClient(new ApiKeyCredential("unused"), new OpenAIClientOptions
        {
            Endpoint = new Uri(address, "/v1"),

            // A retry would send a request twice and blur what reached the workers.
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = TimeSpan.FromMinutes(2),
        });
        await WaitUntilServedAsync();
    }

    public async Task DisposeAsync()
    {
        Http?.Dispose();
        if (_gateway is not null)
        {
            await _gateway.StopAsync();
            await _gateway.DisposeAsync();
        }

        foreach (var worker in _workers)
        {
            await worker.DisposeAsync();
        }

        if (_redis is not null)
        {
            foreach (var key in CacheKeys())
            {
                await Redis.KeyDeleteAsync(key);
            }

            await _redis.DisposeAsync();
        }
    }

    /// <summary>The runs of any worker whose prompt (last message) is <paramref name="prompt"/>.</summary>
    public IReadOnlyList<EngineRun> RunsFor(string prompt) =>
        [.. _workers.SelectMany(worker => worker.Engine.Runs).Where(run => run.Prompt == prompt)];

    /// <summary>The worker whose engine ran the request behind an OpenAI completion id, and its run.</summary>
    public (ClusterWorker Worker, EngineRun Run)? FindRun(string completionId)
    {
        var requestId = completionId.StartsWith("chatcmpl-", StringComparison.Ordinal) ? completionId["chatcmpl-".Length..] : completionId;
        var found = _workers
            .SelectMany(worker => worker.Engine.Runs.Where(run => run.RequestId == requestId).Select(run => (worker, run)))
            .ToList();
        return found.Count switch
        {
            0 => null,
            1 => found[0],
            _ => throw new InvalidOperationException($"Request {requestId} ran {found.Count} times."),
        };
    }

    /// <summary>This run's cache keys in Redis.</summary>
    public IReadOnlyList<RedisKey> CacheKeys()
    {
        var server = _redis!.GetServers().Single();
        return [.. server.Keys(pattern: CacheKeyPrefix + "*")];
    }

    /// <summary>
    /// Waits until Redis holds an entry whose text is <paramref name="text"/> (the gateway stores a result just
    /// after answering) and returns its key.
    /// </summary>
    public async Task<RedisKey?> WaitForCachedTextAsync(string text, TimeSpan patience)
    {
        var until = DateTime.UtcNow + patience;
        do
        {
            foreach (var key in CacheKeys())
            {
                var value = await Redis.StringGetAsync(key);
                if (!value.IsNullOrEmpty && CachedText(value!) == text)
                {
                    return key;
                }
            }

            await Task.Delay(50);
        }
        while (DateTime.UtcNow < until);
        return null;
    }

    /// <summary>Removes this run's cache entries, so the next identical request runs on a worker again.</summary>
    public async Task ClearCacheAsync()
    {
        foreach (var key in CacheKeys())
        {
            await Redis.KeyDeleteAsync(key);
        }
    }

    private static string? CachedText(byte[] payload)
    {
        using var document = JsonDocument.Parse(payload);
        return document.RootElement.TryGetProperty("text", out var text) ? text.GetString() : null;
    }

    private async Task WaitUntilServedAsync()
    {
        if (await ServedModels.WaitForAsync(Http, Model, StartPatience))
        {
            return;
        }

        throw new TimeoutException($"The gateway did not list {Model} within {StartPatience.TotalSeconds:0} s: no worker heartbeat arrived over RabbitMQ.");
    }

    /// <summary>
    /// Connects to the run's Redis. On a busy machine the first connect can fail where a second one
    /// succeeds (test projects run side by side on two cores), so a failed attempt is retried until
    /// <see cref="StartPatience"/> has passed; a server that never answers still fails the fixture,
    /// naming its address.
    /// </summary>
    private static async Task<ConnectionMultiplexer> ConnectRedisAsync(string address)
    {
        var options = ConfigurationOptions.Parse(address);
        options.AbortOnConnectFail = false;
        var connection = await ConnectionMultiplexer.ConnectAsync(options);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!connection.IsConnected)
        {
            if (waited.Elapsed > StartPatience)
            {
                await connection.DisposeAsync();
                throw new InvalidOperationException(
                    $"Redis at {address} ({ServerEnvironment.RedisVariable}) accepted no connection within {StartPatience.TotalSeconds:0} s.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }

        return connection;
    }
}
