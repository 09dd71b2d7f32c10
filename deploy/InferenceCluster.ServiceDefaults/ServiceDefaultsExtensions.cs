using InferenceCluster.Settings;
using InferenceCluster.ServiceDefaults;
using InferenceCluster.ServiceDefaults.Listener;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

// In the hosting namespace so that Program.cs finds these without a using, as with the framework's own builders.
namespace Microsoft.Extensions.Hosting;

/// <summary>Telemetry and health defaults shared by every InferenceCluster service.</summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>The liveness endpoint: runs only checks tagged <see cref="HealthCheckTags.Live"/>.</summary>
    public const string LivePath = "/health/live";

    /// <summary>The readiness endpoint: runs only checks tagged <see cref="HealthCheckTags.Ready"/>.</summary>
    public const string ReadyPath = "/health/ready";

    /// <summary>The Prometheus scrape endpoint.</summary>
    public const string MetricsPath = "/metrics";

    /// <summary>
    /// Turns on OpenTelemetry (traces, metrics, logs; OTLP export when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set)
    /// and the default health checks.
    /// </summary>
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);

        // First, so that it runs before the framework's reading of the same keys throws on a level it cannot read.
        builder.Services.Insert(0, ServiceDescriptor.Singleton<IConfigureOptions<LoggerFilterOptions>>(new LogLevelSettingsCheck(builder.Configuration)));
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();
        return builder;
    }

    /// <summary>Registers a "self" check tagged live, so liveness never depends on another server.</summary>
    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [HealthCheckTags.Live]);
        return builder;
    }

    /// <summary>
    /// For a host without a web front (the worker): a small HTTP listener serving <c>/metrics</c>,
    /// <c>/health/live</c> and <c>/health/ready</c>, placed by <c>MetricsPort</c> and <c>MetricsAddress</c> in the
    /// configuration section <paramref name="sectionName"/>, validated at start.
    /// </summary>
    public static TBuilder AddMetricsListener<TBuilder>(this TBuilder builder, string sectionName)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<MetricsListenerOptions>()
            .BindNamingKeys(builder.Configuration.GetSection(sectionName))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<MetricsListenerOptions>>(new MetricsListenerOptionsValidator(sectionName));
        builder.Services.AddSingleton<MetricsListener>();
        builder.Services.AddHostedService(provider => provider.GetRequiredService<MetricsListener>());
        return builder;
    }

    /// <summary>
    /// Maps <c>/health/live</c> (checks tagged live), <c>/health/ready</c> (checks tagged ready) and the
    /// Prometheus scrape endpoint <c>/metrics</c>. Mapped in every environment: orchestrators probe and
    /// scrape them in production.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapHealthEndpoints();
        app.MapPrometheusScrapingEndpoint(MetricsPath);
        return app;
    }

    /// <summary>The two health endpoints, each running only the checks with its tag.</summary>
    internal static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks(LivePath, new HealthCheckOptions
        {
            Predicate = registration => registration.Tags.Contains(HealthCheckTags.Live),
        });
        endpoints.MapHealthChecks(ReadyPath, new HealthCheckOptions
        {
            Predicate = registration => registration.Tags.Contains(HealthCheckTags.Ready),
        });
        return endpoints;
    }
}
