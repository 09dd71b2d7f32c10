using InferenceCluster.Settings;
using InferenceCluster.ServiceDefaults;
using InferenceCluster.Worker;
using InferenceCluster.Worker.Execution;
using InferenceCluster.Worker.Gateways;
using InferenceCluster.Worker.Heartbeats;
using InferenceCluster.Worker.Receiving;
using InferenceCluster.Worker.Telemetry;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

// In the DI namespace so that hosts find it next to the framework's own Add* methods.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the worker's services: request execution, cancellation registry, heartbeats.</summary>
internal static class InferenceWorkerServiceCollectionExtensions
{
    /// <summary>Time for cancelled requests to end and the bus to close after the drain grace.</summary>
    private static readonly TimeSpan DrainMargin = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Adds everything the worker's consumers need and the heartbeat publisher; part of
    /// <see cref="Microsoft.Extensions.Hosting.InferenceWorkerExtensions.AddInferenceWorker"/>. Options: section <c>Worker</c> (Id, HeartbeatInterval), validated at start.
    /// </summary>
    public static IServiceCollection AddInferenceWorkerServices(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<WorkerOptions>()
            .BindNamingKeys(configuration.GetSection(WorkerOptions.SectionName))
            .PostConfigure(options =>
            {
                if (string.IsNullOrWhiteSpace(options.Id))
                {
                    options.Id = WorkerOptions.DefaultId();
                }
            })
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<RunningRequests>();
        services.TryAddSingleton<GatewayLiveness>();
        services.TryAddSingleton<ModelQueueActivity>();
        services.TryAddSingleton<InstanceQueues>();
        services.TryAddSingleton<ReceiveProbes>();
        services.AddHostedService<GatewayWatchdog>();

        // SIGTERM: the bus stops taking messages and waits DrainGrace for running requests, then cancels them,
        // which leaves them unacknowledged for another worker; the host waits for all of that.
        services.AddOptions<MassTransitHostOptions>().Configure<IOptions<WorkerOptions>>((bus, worker) =>
        {
            bus.ConsumerStopTimeout = worker.Value.DrainGrace;
            bus.StopTimeout = worker.Value.DrainGrace + DrainMargin;
        });
        services.AddOptions<HostOptions>().Configure<IOptions<WorkerOptions>>((host, worker) =>
            host.ShutdownTimeout = worker.Value.DrainGrace + DrainMargin + DrainMargin);
        services.AddSingleton<HeartbeatService>();
        services.AddSingleton<IPublishCheck>(provider => provider.GetRequiredService<HeartbeatService>());
        services.AddHostedService(provider => provider.GetRequiredService<HeartbeatService>());
        services.AddHostedService<WorkerLoadMetrics>();
        return services;
    }
}
