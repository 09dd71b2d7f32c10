using InferenceCluster.Worker;
using InferenceCluster.Worker.Execution;
using InferenceCluster.Worker.Heartbeats;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

// In the DI namespace so that hosts find it next to the framework's own Add* methods.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the worker's services: request execution, cancellation registry, heartbeats.</summary>
public static class InferenceWorkerServiceCollectionExtensions
{
    /// <summary>
    /// Adds everything the worker's consumers need and the heartbeat publisher. Expects an
    /// <c>IInferenceEngine</c> and a MassTransit bus (with <c>AddInferenceWorkerConsumers()</c>) to be
    /// registered as well. Options: section <c>Worker</c> (Id, HeartbeatInterval), validated at start.
    /// </summary>
    public static IServiceCollection AddInferenceWorker(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<WorkerOptions>()
            .Bind(configuration.GetSection(WorkerOptions.SectionName))
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
        services.TryAddSingleton<CompletionRunner>();
        services.AddHostedService<HeartbeatService>();
        return services;
    }
}
