using InferenceCluster.ServiceDefaults;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>The OpenTelemetry part of the service defaults.</summary>
public static class OpenTelemetryExtensions
{
    /// <summary>
    /// Traces, metrics and logs with ASP.NET Core, HttpClient, runtime and MassTransit instrumentation and
    /// the InferenceCluster sources. Metrics are always ready for a Prometheus scrape; OTLP export is on only
    /// when an endpoint is configured, so a developer run without a collector sends nothing. An OTEL_* setting the
    /// services would not honour stops the start (docs/tracing.md lists them).
    /// </summary>
    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);

        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        // Every OTEL_* setting is honoured or refused here, at start (exit 78); the SDK reads most of them itself.
        var settings = OtelSettingsCheck.Read(builder.Configuration);
        if (settings.Unknown.Count > 0)
        {
            builder.Services.AddHostedService(provider =>
                new UnknownOtelSettingsWarning(provider.GetRequiredService<ILogger<UnknownOtelSettingsWarning>>(), settings.Unknown));
        }

        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource
                // The application name tells gateway and workers apart when nothing else names the service.
                .AddService(builder.Environment.ApplicationName)

                // Read again after it, so that OTEL_SERVICE_NAME, then a service.name or service.instance.id in
                // OTEL_RESOURCE_ATTRIBUTES, win over the application name and the generated instance id: the default
                // detectors ran first, and AddService overwrote both.
                .AddEnvironmentVariableDetector())
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(TelemetryNames.MassTransit, TelemetryNames.Gateway, TelemetryNames.Worker)

                // Scraped at /metrics (the gateway's own port, the worker's metrics listener) whether or not OTLP is on.
                .AddPrometheusExporter())
            .WithTracing(tracing => tracing
                .SetSampler(settings.Sampler)
                .AddSource(TelemetryNames.MassTransit, TelemetryNames.Gateway, TelemetryNames.Worker)
                .AddAspNetCoreInstrumentation(options =>
                    // Probes and scrapes every few seconds would bury the requests that matter.
                    options.Filter = context => !IsProbeOrScrape(context))
                .AddHttpClientInstrumentation());

        // The exporter reads its OTEL_EXPORTER_OTLP_* settings itself, per signal too.
        if (settings.ExportOtlp)
        {
            otel.UseOtlpExporter();
        }

        return builder;
    }

    private static bool IsProbeOrScrape(HttpContext context) =>
        context.Request.Path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase)
        || context.Request.Path.StartsWithSegments(ServiceDefaultsExtensions.MetricsPath, StringComparison.OrdinalIgnoreCase);
}
