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
    /// GenAI's refusal to load the model is a <see cref="ModelLoadException"/>.
    /// </summary>
    public static IServiceCollection AddInferenceEngine(this IServiceCollection services, IConfiguration configuration)
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
        services.AddSingleton<InferenceCluster.Inference.IInferenceEngine>(sp => InferenceEngineFactory.LoadAsync(
                sp.GetRequiredService<IOptions<InferenceOptions>>().Value,
                sp.GetService<ILoggerFactory>())
            .GetAwaiter().GetResult());
        services.AddHostedService<InferenceEngineWarmup>();
        return services;
    }
}
