using InferenceCluster.ServiceDefaults;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

// In the hosting namespace so that Program.cs finds these without a using, as with the framework's own builders.
namespace Microsoft.Extensions.Hosting;

/// <summary>Telemetry and health defaults shared by every InferenceCluster service.</summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>The liveness endpoint: runs only checks tagged <see cref="HealthCheckTags.Live"/>.</summary>
    public const string LivePath = "/health/live";

    /// <summary>The readiness endpoint: runs only checks tagged <see cref="HealthCheckTags.Ready"/>.</summary>
    public const string ReadyPath = "/health/ready";

    /// <summary>
    /// Turns on OpenTelemetry (traces, metrics, logs; OTLP export when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set)
    /// and the default health checks.
    /// </summary>
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
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
    /// Maps <c>/health/live</c> (checks tagged live) and <c>/health/ready</c> (checks tagged ready).
    /// Mapped in every environment: orchestrators probe them in production.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapHealthChecks(LivePath, new HealthCheckOptions
        {
            Predicate = registration => registration.Tags.Contains(HealthCheckTags.Live),
        });
        app.MapHealthChecks(ReadyPath, new HealthCheckOptions
        {
            Predicate = registration => registration.Tags.Contains(HealthCheckTags.Ready),
        });
        return app;
    }
}
