using InferenceCluster.ServiceDefaults;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace InferenceCluster.Worker.Tests.ServiceDefaults;

/// <summary>
/// The OTEL_* settings a service is started with: each is honoured or refused at start (exit 78, named), never ignored
/// without a word, and the exporter's headers, which carry API keys, never appear in a message.
/// </summary>
public sealed class OtelSettingsTests
{
    private const string Secret = "s3cret-api-key";
    private const string Endpoint = "http://127.0.0.1:4317";

    [Theory]
    [InlineData("OTEL_TRACES_SAMPLER", "always_on", null, null)]
    [InlineData("OTEL_TRACES_SAMPLER", "xray", null, null)]
    [InlineData("OTEL_TRACES_SAMPLER_ARG", "1.5", "OTEL_TRACES_SAMPLER", "parentbased_traceidratio")]
    [InlineData("OTEL_TRACES_SAMPLER_ARG", "0.5", null, null)]
    [InlineData("OTEL_EXPORTER_OTLP_TIMEOUT", "ten seconds", "OTEL_EXPORTER_OTLP_ENDPOINT", Endpoint)]
    [InlineData("OTEL_EXPORTER_OTLP_COMPRESSION", "zstd", "OTEL_EXPORTER_OTLP_ENDPOINT", Endpoint)]
    [InlineData("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "http/json", "OTEL_EXPORTER_OTLP_ENDPOINT", Endpoint)]
    [InlineData("OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE", "sometimes", "OTEL_EXPORTER_OTLP_ENDPOINT", Endpoint)]
    [InlineData("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://127.0.0.1:4318/v1/traces", null, null)]
    [InlineData("OTEL_EXPORTER_OTLP_TIMEOUT", "5000", null, null)]
    [InlineData("OTEL_BSP_MAX_QUEUE_SIZE", "0", "OTEL_EXPORTER_OTLP_ENDPOINT", Endpoint)]
    [InlineData("OTEL_METRIC_EXPORT_INTERVAL", "5000", null, null)]
    [InlineData("OTEL_EXPORTER_OTLP_ENDPIONT", Endpoint, null, null)]
    [InlineData("OTEL_EXPORTER_OTLP_INSECURE", "true", "OTEL_EXPORTER_OTLP_ENDPOINT", Endpoint)]
    [InlineData("OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE", "/etc/ssl/ca.pem", "OTEL_EXPORTER_OTLP_ENDPOINT", Endpoint)]
    [InlineData("OTEL_EXPORTER_OTLP_CERTIFICATE", "/nowhere/ca.pem", "OTEL_EXPORTER_OTLP_ENDPOINT", Endpoint)]
    [InlineData("OTEL_EXPORTER_ZIPKIN_ENDPOINT", "http://127.0.0.1:9411/api/v2/spans", null, null)]
    [InlineData("OTEL_EXPORTER_PROMETHEUS_PORT", "9464", null, null)]
    [InlineData("OTEL_TRACES_EXPORTER", "none", "OTEL_EXPORTER_OTLP_ENDPOINT", Endpoint)]
    [InlineData("OTEL_LOGS_EXPORTER", "otlp", null, null)]
    [InlineData("OTEL_METRICS_EXPORTER", "console", null, null)]
    [InlineData("OTEL_PROPAGATORS", "b3", null, null)]
    [InlineData("OTEL_RESOURCE_ATTRIBUTES", "deployment.environment.name", null, null)]
    [InlineData("OTEL_SDK_DISABLED", "yes", null, null)]
    [InlineData("OTEL_LOG_LEVEL", "verbose", null, null)]
    [InlineData("OTEL_DOTNET_SELF_DIAGNOSTICS_ENV_VARS", "all", null, null)]
    [InlineData("OTEL_DOTNET_SELF_DIAGNOSTICS_ENV_VARS", "AllValues", null, null)]
    [InlineData("OTEL_DOTNET_SELF_DIAGNOSTICS_ENV_VARS", "everything", null, null)]
    [InlineData("OTEL_METRICS_EXPORTER", "none", null, null)]
    [InlineData("OTEL_CONFIG_FILE", "/etc/otel.yaml", null, null)]
    public void AddServiceDefaults_SettingItWouldNotHonour_RefusedNamingIt(string name, string value, string? alongside, string? alongsideValue)
    {
        var settings = new Dictionary<string, string?> { [name] = value };
        if (alongside is not null)
        {
            settings[alongside] = alongsideValue;
        }

        var refusal = Assert.Throws<InvalidSettingException>(() => Build(settings));

        Assert.Contains(name, refusal.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("OTEL_LOG_LEVEL", "debug", null, null)]
    [InlineData("OTEL_LOG_LEVEL", "Warning", null, null)]
    [InlineData("OTEL_LOG_LEVEL", "none", null, null)]
    [InlineData("OTEL_DOTNET_SELF_DIAGNOSTICS_ENV_VARS", "knownsafe", null, null)]
    [InlineData("OTEL_TRACES_EXPORTER", "none", null, null)]
    [InlineData("OTEL_LOGS_EXPORTER", "NONE", null, null)]
    [InlineData("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://127.0.0.1:4318/v1/traces", "OTEL_SDK_DISABLED", "true")]
    [InlineData("OTEL_TRACES_EXPORTER", "zipkin", "OTEL_SDK_DISABLED", "true")]
    [InlineData("OTEL_LOGS_EXPORTER", "otlp", "OTEL_SDK_DISABLED", "true")]
    public void AddServiceDefaults_SettingItHonours_Starts(string name, string value, string? alongside, string? alongsideValue)
    {
        // OTEL_LOG_LEVEL sets the SDK's self-diagnostics level; none is what happens to traces and logs with export off;
        // with the SDK disabled nothing is exported, so the exporter settings are moot.
        var settings = new Dictionary<string, string?> { [name] = value };
        if (alongside is not null)
        {
            settings[alongside] = alongsideValue;
        }

        using var host = Build(settings);

        Assert.NotNull(host.Services.GetRequiredService<TracerProvider>());
    }

    [Theory]
    [InlineData("api-key=" + Secret + ",")]
    [InlineData("api-key " + Secret)]
    [InlineData("api key=" + Secret)]
    [InlineData("api-key=" + Secret + "%0Ax-injected=1")]
    public void AddServiceDefaults_HeadersTheExporterCannotSend_RefusedWithoutRepeatingThem(string headers)
    {
        // The exporter threw at start with a stack trace, or the HTTP client with a message that could quote the value.
        var refusal = Assert.Throws<InvalidSettingException>(() => Build(new()
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = Endpoint,
            ["OTEL_EXPORTER_OTLP_HEADERS"] = headers,
        }));

        Assert.Contains("OTEL_EXPORTER_OTLP_HEADERS", refusal.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddServiceDefaults_EverySettingItHonours_Starts()
    {
        using var host = Build(new()
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:1",
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_EXPORTER_OTLP_HEADERS"] = $"api-key={Secret},x-tenant=a%20b",
            ["OTEL_EXPORTER_OTLP_TIMEOUT"] = "2000",
            ["OTEL_EXPORTER_OTLP_COMPRESSION"] = "gzip",
            ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] = "http://127.0.0.1:1/v1/traces",
            ["OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE"] = "delta",
            ["OTEL_SERVICE_NAME"] = "gateway-eu",
            ["OTEL_RESOURCE_ATTRIBUTES"] = "deployment.environment.name=test,service.namespace=inference",
            ["OTEL_TRACES_SAMPLER"] = "parentbased_traceidratio",
            ["OTEL_TRACES_SAMPLER_ARG"] = "0.25",
            ["OTEL_PROPAGATORS"] = "tracecontext,baggage",
            ["OTEL_TRACES_EXPORTER"] = "otlp",
            ["OTEL_METRICS_EXPORTER"] = "otlp,prometheus",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "1000",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "10000",
            ["OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT"] = "4096",
            ["OTEL_METRICS_EXEMPLAR_FILTER"] = "trace_based",
            ["OTEL_SDK_DISABLED"] = "false",
        });

        Assert.NotNull(host.Services.GetRequiredService<TracerProvider>());
    }

    [Fact]
    public void AddServiceDefaults_ResourceAttributes_WinOverTheApplicationName()
    {
        // service.name and service.instance.id of OTEL_RESOURCE_ATTRIBUTES were overwritten by the application name and a
        // generated id.
        using var host = Build(new() { ["OTEL_RESOURCE_ATTRIBUTES"] = "service.name=gateway-eu,service.instance.id=gateway-eu-1" });

        var resource = host.Services.GetRequiredService<TracerProvider>().GetResource().Attributes.ToDictionary(pair => pair.Key, pair => pair.Value);

        Assert.Equal("gateway-eu", resource["service.name"]);
        Assert.Equal("gateway-eu-1", resource["service.instance.id"]);
    }

    [Fact]
    public void AddServiceDefaults_ServiceName_WinsOverResourceAttributes()
    {
        using var host = Build(new() { ["OTEL_SERVICE_NAME"] = "worker-3", ["OTEL_RESOURCE_ATTRIBUTES"] = "service.name=other" });

        var resource = host.Services.GetRequiredService<TracerProvider>().GetResource();

        Assert.Equal("worker-3", resource.Attributes.Single(pair => pair.Key == "service.name").Value);
    }

    private static IHost Build(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ApplicationName = "worker" });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddServiceDefaults();
        return builder.Build();
    }
}
