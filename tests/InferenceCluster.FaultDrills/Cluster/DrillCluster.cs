using System.Net.Http.Json;
using System.Text.Json;
using InferenceCluster.Gateway;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace InferenceCluster.FaultDrills.Cluster;

/// <summary>
/// The cluster the drills break: private RabbitMQ and Redis, two worker processes, and one gateway in this
/// process (on Kestrel, a free port), wired as the executables wire themselves.
/// </summary>
public sealed class DrillCluster : IAsyncLifetime
{
    public const string Model = "deepseek-r1-test-tiny";

    private static readonly TimeSpan StartPatience = TimeSpan.FromSeconds(90);
    private static readonly bool ShowLogs = Environment.GetEnvironmentVariable("DRILL_LOGS") == "1";

    private readonly List<WorkerProcess> _workers = [];
    private PrivateServers? _servers;
    private WebApplication? _gateway;

    internal PrivateServers Servers => _servers!;

    public HttpClient Http { get; private set; } = null!;

    /// <summary>Makes prompts unique to this cluster, so a drill never meets another run's cache entries.</summary>
    public string Run { get; } = Guid.NewGuid().ToString("N")[..8];

    public async Task InitializeAsync()
    {
        _servers = await PrivateServers.StartAsync();
        _workers.Add(WorkerProcess.Start(_servers.RabbitMq, $"drill-a-{Run}", concurrency: 4));
        _workers.Add(WorkerProcess.Start(_servers.RabbitMq, $"drill-b-{Run}", concurrency: 4));

        _gateway = GatewayApp.Create(["--urls=http://127.0.0.1:0"], builder =>
        {
            builder.Logging.ClearProviders();
            if (ShowLogs)
            {
                builder.Logging.AddSimpleConsole(console => console.TimestampFormat = "HH:mm:ss.fff ");
                builder.Logging.AddFilter("InferenceCluster.Gateway.Streaming", LogLevel.Debug);
                builder.Logging.AddFilter("MassTransit", LogLevel.Debug);
            }

            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:rabbitmq"] = _servers.RabbitMq.ToString(),
                ["ConnectionStrings:redis"] = _servers.Redis,
                // Longer than any outage the drills cause, even when rabbitmqctl crawls on a loaded machine.
                ["Gateway:RequestTimeout"] = "00:05:00",
                ["Gateway:WorkerLiveness"] = "00:00:05",
                ["Gateway:SeparateReasoning"] = "false",
            });
        });
        await _gateway.StartAsync();
        Http = new HttpClient { BaseAddress = new Uri(_gateway.Urls.First()), Timeout = TimeSpan.FromMinutes(6) };
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

        if (_servers is not null)
        {
            await _servers.DisposeAsync();
        }
    }

    /// <summary>Waits until the gateway lists the model again (both workers heard) or fails naming what is missing.</summary>
    public async Task WaitUntilServedAsync()
    {
        var until = DateTime.UtcNow + StartPatience;
        while (DateTime.UtcNow < until)
        {
            var exited = _workers.FirstOrDefault(worker => worker.HasExited);
            if (exited is not null)
            {
                throw new InvalidOperationException($"Worker {exited.Id} exited:{Environment.NewLine}{exited.Tail}");
            }

            try
            {
                var list = await Http.GetFromJsonAsync<JsonElement>("/v1/models");
                if (list.GetProperty("data").EnumerateArray().Any(entry => entry.GetProperty("id").GetString() == Model))
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(200);
        }

        throw new TimeoutException(
            $"The gateway did not list {Model} within {StartPatience.TotalSeconds:0} s. Last worker output:{Environment.NewLine}{_workers[0].Tail}");
    }
}
