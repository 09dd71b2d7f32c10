using InferenceCluster.Inference;
using InferenceCluster.ServiceDefaults.Listener;
using InferenceCluster.Worker;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace InferenceCluster.IntegrationTests.Cluster;

/// <summary>
/// A worker host in this process, wired as the worker executable wires itself (service defaults, the real
/// engine with the bundled test model, the worker services, RabbitMQ), with its engine observed.
/// </summary>
public sealed class ClusterWorker : IAsyncDisposable
{
    private readonly IHost _host;

    private ClusterWorker(string id, IHost host)
    {
        Id = id;
        _host = host;
        Engine = (ObservedEngine)host.Services.GetRequiredService<IInferenceEngine>();
        MetricsAddress = host.Services.GetRequiredService<MetricsListener>().Address
            ?? throw new InvalidOperationException("The worker's metrics listener did not start.");
    }

    public string Id { get; }

    public ObservedEngine Engine { get; }

    /// <summary>Where this worker serves <c>/metrics</c> and <c>/health/*</c>.</summary>
    public Uri MetricsAddress { get; }

    /// <summary>Starts a worker; <paramref name="logging"/> adds log providers (a test that reads the worker's log).</summary>
    public static async Task<ClusterWorker> StartAsync(Uri broker, string id, int maxConcurrency, Action<ILoggingBuilder>? logging = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:rabbitmq"] = broker.ToString(),
            ["Worker:Id"] = id,
            ["Worker:HeartbeatInterval"] = "00:00:01",

            // Two workers share this machine: each takes a free port, as cluster.sh gives each its own.
            ["Worker:MetricsPort"] = "0",
            ["Inference:MaxConcurrency"] = maxConcurrency.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        if (ClusterFixture.ShowLogs)
        {
            builder.Logging.AddSimpleConsole(console => console.TimestampFormat = "HH:mm:ss.fff ");
        }

        logging?.Invoke(builder.Logging);
        builder.AddServiceDefaults();
        builder.AddMetricsListener(WorkerOptions.SectionName);
        builder.AddInferenceWorker();
        ObserveEngine(builder.Services);
        builder.Services.Configure<MassTransitHostOptions>(options =>
        {
            options.ConsumerStopTimeout = TimeSpan.FromSeconds(5);
            options.StopTimeout = TimeSpan.FromSeconds(15);
        });

        var host = builder.Build();
        await host.StartAsync();
        return new ClusterWorker(id, host);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }

    // Wraps the engine AddInferenceEngine registers, keeping its loading and lifetime as they are.
    private static void ObserveEngine(IServiceCollection services)
    {
        var registration = services.Single(d => d.ServiceType == typeof(IInferenceEngine));
        var factory = registration.ImplementationFactory
            ?? throw new InvalidOperationException("AddInferenceEngine no longer registers the engine through a factory; adapt ObserveEngine.");
        services.Remove(registration);
        services.AddSingleton<IInferenceEngine>(provider => new ObservedEngine((IInferenceEngine)factory(provider)));
    }
}
