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
    /// when an endpoint is configured, so a developer run without a collector sends nothing.
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

        // OTEL_SERVICE_NAME wins when set; otherwise the application name tells gateway and workers apart.
        var serviceName = builder.Configuration["OTEL_SERVICE_NAME"];
        if (string.IsNullOrWhiteSpace(serviceName))
        {
            serviceName = builder.Environment.ApplicationName;
        }

        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(TelemetryNames.MassTransit, TelemetryNames.Gateway, TelemetryNames.Worker)

                // Scraped at /metrics (the gateway's own port, the worker's metrics listener) whether or not OTLP is on.
                .AddPrometheusExporter())
            .WithTracing(tracing => tracing
                .SetSampler(new HeartbeatQuietSampler())
                .AddSource(TelemetryNames.MassTransit, TelemetryNames.Gateway, TelemetryNames.Worker)
                .AddAspNetCoreInstrumentation(options =>
                    // Probes and scrapes every few seconds would bury the requests that matter.
                    options.Filter = context => !IsProbeOrScrape(context))
                .AddHttpClientInstrumentation());

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            CheckOtlpSettings(builder.Configuration);
            otel.UseOtlpExporter();
        }

        return builder;
    }

    /// <summary>
    /// The exporter's own settings, checked at start: the exporter took an endpoint that is no URL or a protocol it does
    /// not know without stopping the start, and the service ran exporting nothing.
    /// </summary>
    private static void CheckOtlpSettings(Configuration.IConfiguration configuration)
    {
        const string endpoint = "OTEL_EXPORTER_OTLP_ENDPOINT", protocol = "OTEL_EXPORTER_OTLP_PROTOCOL";
        if (!Uri.TryCreate(configuration[endpoint], UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new InvalidSettingException(
                $"{endpoint} must be an http:// or https:// URL such as http://127.0.0.1:4317; the value set is not one " +
                "(it is not repeated here, as it may carry a secret).");
        }

        if (configuration[protocol] is { Length: > 0 } value && value is not ("grpc" or "http/protobuf"))
        {
            throw new InvalidSettingException($"{protocol} must be grpc or http/protobuf; it is '{value}'.");
        }
    }

    private static bool IsProbeOrScrape(HttpContext context) =>
        context.Request.Path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase)
        || context.Request.Path.StartsWithSegments(ServiceDefaultsExtensions.MetricsPath, StringComparison.OrdinalIgnoreCase);
}
