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
    /// the InferenceCluster sources. Exports over OTLP only when an endpoint is configured, so a developer
    /// run without a collector costs nothing.
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
                .AddMeter(TelemetryNames.MassTransit, TelemetryNames.Gateway, TelemetryNames.Worker))
            .WithTracing(tracing => tracing
                .SetSampler(new HeartbeatQuietSampler())
                .AddSource(TelemetryNames.MassTransit, TelemetryNames.Gateway, TelemetryNames.Worker)
                .AddAspNetCoreInstrumentation(options =>
                    // Probes every few seconds would bury the requests that matter.
                    options.Filter = context => !IsHealthProbe(context))
                .AddHttpClientInstrumentation());

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            otel.UseOtlpExporter();
        }

        return builder;
    }

    private static bool IsHealthProbe(HttpContext context) =>
        context.Request.Path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase);
}
