using System.Diagnostics;
using InferenceCluster.Contracts;
using InferenceCluster.IntegrationTests.Cluster;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using StackExchange.Redis;

namespace InferenceCluster.IntegrationTests.Drills;

/// <summary>
/// A cluster of real processes for one drill: worker and gateway executables from the solution's build output,
/// on the real RabbitMQ and Redis of the test run, or on a drill's <see cref="PrivateServers"/> when it breaks
/// them. Its workers serve a model id of its own, so its requests have a queue of their own and no other test's
/// worker takes them; its cache keys carry a prefix of its own.
/// </summary>
internal sealed class DrillCluster : IAsyncDisposable
{
    private static readonly TimeSpan StartPatience = TimeSpan.FromSeconds(90);

    /// <summary>How long a drill's client waits for an answer unless the drill says otherwise.</summary>
    private static readonly TimeSpan ClientTimeout = TimeSpan.FromMinutes(3);

    private readonly string _run = Guid.NewGuid().ToString("N")[..10];
    private readonly string _redis;
    private readonly Uri _broker;
    private readonly List<ServiceProcess> _processes = [];
    private readonly Dictionary<string, string> _gatewaySettings;
    private readonly Dictionary<string, string> _workerSettings;

    public DrillCluster(
        IReadOnlyDictionary<string, string>? gatewaySettings = null,
        IReadOnlyDictionary<string, string>? workerSettings = null,
        PrivateServers? servers = null)
    {
        Model = $"drill-{_run}";
        _redis = servers?.Redis ?? ServerEnvironment.Redis();
        _broker = servers?.RabbitMq ?? ServerEnvironment.RabbitMq();
        var common = new Dictionary<string, string>
        {
            ["ConnectionStrings__rabbitmq"] = _broker.ToString(),
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Logging__Console__FormatterName"] = "simple",
            ["Logging__Console__FormatterOptions__SingleLine"] = "true",
            ["Logging__Console__FormatterOptions__TimestampFormat"] = "HH:mm:ss.fff ",
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = string.Empty,
        };
        _workerSettings = new Dictionary<string, string>(common)
        {
            ["Inference__ModelId"] = Model,
            ["Worker__HeartbeatInterval"] = "00:00:01",

            // Several worker processes on this machine: each metrics listener takes a free port.
            ["Worker__MetricsPort"] = "0",
        };
        _gatewaySettings = new Dictionary<string, string>(common)
        {
            ["ConnectionStrings__redis"] = _redis,
            ["Gateway__Cache__KeyPrefix"] = CacheKeyPrefix,
            ["Gateway__WorkerLiveness"] = "00:00:03",

            // The test model never leaves its reasoning; the drills compare the whole generated text.
            ["Gateway__SeparateReasoning"] = "false",
            ["urls"] = "http://127.0.0.1:0",
        };
        Merge(_gatewaySettings, gatewaySettings);
        Merge(_workerSettings, workerSettings);
    }

    /// <summary>The model id this cluster's workers serve.</summary>
    public string Model { get; }

    public string CacheKeyPrefix => $"inference-cluster-drill-{_run}:";

    public string Run => _run;

    /// <summary>Starts a worker process and waits until it has loaded its model and joined its queue.</summary>
    public async Task<ServiceProcess> StartWorkerAsync(string name, IReadOnlyDictionary<string, string>? settings = null)
    {
        var environment = new Dictionary<string, string>(_workerSettings) { ["Worker__Id"] = $"{name}-{_run}" };
        Merge(environment, settings);
        var worker = Track(ServiceProcess.Start(name, RepositoryPaths.Worker, environment));
        await worker.WaitForLineAsync("Application started", StartPatience);
        return worker;
    }

    /// <summary>
    /// Starts a gateway process; returns it with a client for its address that waits <paramref name="clientTimeout"/>
    /// (3 minutes unless given) for an answer, once it lists the model. Drills start it while their workers load the
    /// model (each process takes seconds to start, one after another they took the sum), so the wait for the listing
    /// has a worker's start patience and a gateway's.
    /// </summary>
    public async Task<DrillGateway> StartGatewayAsync(string name, IReadOnlyDictionary<string, string>? settings = null, TimeSpan? clientTimeout = null)
    {
        var environment = new Dictionary<string, string>(_gatewaySettings);
        Merge(environment, settings);
        var process = Track(ServiceProcess.Start(name, RepositoryPaths.Gateway, environment));
        var line = await UnlessAProcessExitsAsync($"{name} was starting", token => process.WaitForLineAsync("Now listening on: ", StartPatience, token));
        var address = new Uri(line[(line.IndexOf("Now listening on: ", StringComparison.Ordinal) + "Now listening on: ".Length)..].Trim());
        var gateway = new DrillGateway(process, address, Model, clientTimeout ?? ClientTimeout);
        await WaitUntilServedAsync(gateway, StartPatience + StartPatience);
        return gateway;
    }

    /// <summary>Removes this cluster's cache entries, so an identical request runs on a worker again.</summary>
    public async Task ClearCacheAsync()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(_redis);
        var server = redis.GetServers().Single();
        foreach (var key in server.Keys(pattern: CacheKeyPrefix + "*"))
        {
            await redis.GetDatabase().KeyDeleteAsync(key);
        }
    }

    /// <summary>
    /// Waits until the broker counts <paramref name="expected"/> consumers on this cluster's model queue (one per worker
    /// taking requests); returns the last count read, which differs from <paramref name="expected"/> only when
    /// <paramref name="patience"/> ran out.
    /// </summary>
    public async Task<uint> WaitForModelConsumersAsync(uint expected, TimeSpan patience)
    {
        await using var connection = await new ConnectionFactory { Uri = _broker }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var consumers = (await channel.QueueDeclarePassiveAsync(ModelQueue.Name(Model))).ConsumerCount;
            if (consumers == expected || watch.Elapsed > patience)
            {
                return consumers;
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Deletes this cluster's model queue, as <c>rabbitmqctl delete_queue</c> does: the broker cancels its consumers.</summary>
    public async Task DeleteModelQueueAsync()
    {
        await using var connection = await new ConnectionFactory { Uri = _broker }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueueDeleteAsync(ModelQueue.Name(Model));
    }

    /// <summary>
    /// Waits until this cluster's model queue exists and holds <paramref name="expected"/> messages; returns the last
    /// count read (null while the queue does not exist), which differs only when <paramref name="patience"/> ran out.
    /// </summary>
    public async Task<uint?> WaitForModelQueueMessagesAsync(uint expected, TimeSpan patience)
    {
        await using var connection = await new ConnectionFactory { Uri = _broker }.CreateConnectionAsync();
        var watch = Stopwatch.StartNew();
        while (true)
        {
            uint? messages;
            try
            {
                // A channel each time: the broker closes the one whose passive declare names a missing queue.
                await using var channel = await connection.CreateChannelAsync();
                messages = (await channel.QueueDeclarePassiveAsync(ModelQueue.Name(Model))).MessageCount;
            }
            catch (OperationInterruptedException)
            {
                messages = null;
            }

            if (messages == expected || watch.Elapsed > patience)
            {
                return messages;
            }

            await Task.Delay(50);
        }
    }

    /// <summary>The output of every process of the cluster, for a failure message.</summary>
    public string Output() => string.Join('\n', _processes.Select(process => process.Output()));

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }

        await ClearCacheAsync();
    }

    private ServiceProcess Track(ServiceProcess process)
    {
        // Workers start beside the wait for the gateway, which reads the list meanwhile.
        lock (_processes)
        {
            _processes.Add(process);
        }

        return process;
    }

    private Task<T> UnlessAProcessExitsAsync<T>(string waitingFor, Func<CancellationToken, Task<T>> wait) =>
        ServiceProcess.UnlessOneExitsAsync(
            () =>
            {
                lock (_processes)
                {
                    return _processes.ToArray();
                }
            },
            waitingFor,
            wait);

    /// <summary>
    /// Waits until <paramref name="gateway"/> lists this cluster's model (a worker heard) or fails with every process's
    /// output; at once, with its exit code and last lines, when a process of the cluster exits unasked meanwhile (a worker
    /// that a bad setting stopped would never be listed).
    /// </summary>
    public async Task WaitUntilServedAsync(DrillGateway gateway, TimeSpan? patience = null)
    {
        var wait = patience ?? StartPatience;
        if (await UnlessAProcessExitsAsync(
            $"waiting {wait.TotalSeconds:0} s for {gateway.Process.Name} to list {Model}", token => ServedModels.WaitForAsync(gateway.Http, Model, wait, token)))
        {
            return;
        }

        throw new TimeoutException($"{gateway.Process.Name} did not list {Model} within {wait.TotalSeconds:0} s.\n{Output()}");
    }

    private static void Merge(Dictionary<string, string> into, IReadOnlyDictionary<string, string>? from)
    {
        foreach (var (key, value) in from ?? new Dictionary<string, string>())
        {
            into[key] = value;
        }
    }
}
