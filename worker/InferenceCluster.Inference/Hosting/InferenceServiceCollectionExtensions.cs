using InferenceCluster.Inference.Hosting;
using InferenceCluster.Inference.Simulation;
using InferenceCluster.Settings;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

// The conventional namespace for AddXyz extensions, so callers need no extra using.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the inference engine.</summary>
public static class InferenceServiceCollectionExtensions
{
    /// <summary>
    /// Binds and validates <see cref="InferenceOptions"/> from the "Inference" section and registers a
    /// singleton <see cref="InferenceCluster.Inference.IInferenceEngine"/> that is loaded when the host starts.
    /// GenAI's refusal to load the model is a <see cref="ModelLoadException"/>, or what <paramref name="loadFailure"/>
    /// makes of it (the worker: the exception that gives its exit code). The mapping is made here, not in the start
    /// check, because whoever asks for the engine first loads it: in the gateway's embedded worker that is MassTransit's
    /// consumer definition, before the start checks run.
    /// </summary>
    public static IServiceCollection AddInferenceEngine(this IServiceCollection services, IConfiguration configuration,
        Func<ModelLoadException, Exception>? loadFailure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<InferenceOptions>()
            .BindNamingKeys(configuration.GetSection(InferenceOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<InferenceOptions>, SimulationOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<InferenceOptions>, ExecutionProviderValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<InferenceOptions>, ModelFolderValidator>());
        services.AddSingleton<InferenceCluster.Inference.IInferenceEngine>(sp =>
        {
            try
            {
                return InferenceEngineFactory.LoadAsync(
                        sp.GetRequiredService<IOptions<InferenceOptions>>().Value,
                        sp.GetService<ILoggerFactory>())
                    .GetAwaiter().GetResult();
            }
            catch (ModelLoadException exception) when (loadFailure is not null)
            {
                throw loadFailure(exception);
            }
        });
        services.AddHostedService<InferenceEngineWarmup>();
        return services;
    }
}
