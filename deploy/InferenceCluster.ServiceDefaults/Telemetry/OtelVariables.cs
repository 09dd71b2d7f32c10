namespace InferenceCluster.ServiceDefaults;

/// <summary>
/// The OTEL_* settings of the OpenTelemetry specification, by what the services do with each: honoured (most of them
/// read by the .NET SDK itself, checked here first because the SDK skips a value it cannot read without a word), or
/// refused at start with the reason.
/// </summary>
internal static class OtelVariables
{
    internal const string Prefix = "OTEL_";
    internal const string Exporter = "OTEL_EXPORTER_OTLP_";
    internal const string Endpoint = "OTEL_EXPORTER_OTLP_ENDPOINT";
    internal const string Headers = "OTEL_EXPORTER_OTLP_HEADERS";
    internal const string SdkDisabled = "OTEL_SDK_DISABLED";
    internal const string ServiceName = "OTEL_SERVICE_NAME";
    internal const string ResourceAttributes = "OTEL_RESOURCE_ATTRIBUTES";
    internal const string Sampler = "OTEL_TRACES_SAMPLER";
    internal const string SamplerArgument = "OTEL_TRACES_SAMPLER_ARG";
    internal const string Propagators = "OTEL_PROPAGATORS";

    /// <summary>The signals the OTLP exporter sends, as they appear in the per-signal names.</summary>
    internal static readonly string[] Signals = ["TRACES", "METRICS", "LOGS"];

    /// <summary>Integer settings of the SDK's batch processors, metric reader and exporter limits: the least each takes.</summary>
    internal static readonly IReadOnlyDictionary<string, int> ExportIntegers = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase)
    {
        ["OTEL_BSP_SCHEDULE_DELAY"] = 1,
        ["OTEL_BSP_EXPORT_TIMEOUT"] = 0,
        ["OTEL_BSP_MAX_QUEUE_SIZE"] = 1,
        ["OTEL_BSP_MAX_EXPORT_BATCH_SIZE"] = 1,
        ["OTEL_BLRP_SCHEDULE_DELAY"] = 1,
        ["OTEL_BLRP_EXPORT_TIMEOUT"] = 0,
        ["OTEL_BLRP_MAX_QUEUE_SIZE"] = 1,
        ["OTEL_BLRP_MAX_EXPORT_BATCH_SIZE"] = 1,
        ["OTEL_METRIC_EXPORT_INTERVAL"] = 1,
        ["OTEL_METRIC_EXPORT_TIMEOUT"] = 0,
        ["OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT"] = 0,
        ["OTEL_ATTRIBUTE_COUNT_LIMIT"] = 0,
        ["OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT"] = 0,
        ["OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT"] = 0,
        ["OTEL_SPAN_EVENT_COUNT_LIMIT"] = 0,
        ["OTEL_SPAN_LINK_COUNT_LIMIT"] = 0,
        ["OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT"] = 0,
        ["OTEL_LINK_ATTRIBUTE_COUNT_LIMIT"] = 0,
        ["OTEL_LOGRECORD_ATTRIBUTE_VALUE_LENGTH_LIMIT"] = 0,
        ["OTEL_LOGRECORD_ATTRIBUTE_COUNT_LIMIT"] = 0,
    };

    /// <summary>Names the specification defines that these services do not honour, and why.</summary>
    internal static readonly IReadOnlyDictionary<string, string> Refused = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["OTEL_CONFIG_FILE"] = "file-based OpenTelemetry configuration is not part of these services; use the OTEL_* variables",
        ["OTEL_EXPERIMENTAL_CONFIG_FILE"] = "file-based OpenTelemetry configuration is not part of these services; use the OTEL_* variables",
        ["OTEL_EXPORTER_OTLP_INSECURE"] = "the .NET exporter does not read it: the endpoint's scheme decides (http:// plain, https:// TLS)",
        ["OTEL_EXPORTER_PROMETHEUS_HOST"] = "metrics are scraped at /metrics on the service's own address (the gateway's URL, a worker's Worker:MetricsAddress)",
        ["OTEL_EXPORTER_PROMETHEUS_PORT"] = "metrics are scraped at /metrics on the service's own port (the gateway's URL, a worker's Worker:MetricsPort)",
    };

    /// <summary>The reason a name under OTEL_ is refused, or null when it is honoured or not the specification's.</summary>
    internal static string? RefusalOf(string name)
    {
        if (Refused.TryGetValue(name, out var reason))
        {
            return reason;
        }

        foreach (var signal in Signals)
        {
            if (name.Equals($"{Exporter}{signal}_INSECURE", StringComparison.OrdinalIgnoreCase))
            {
                return Refused["OTEL_EXPORTER_OTLP_INSECURE"];
            }

            if (name.Equals($"{Exporter}{signal}_CERTIFICATE", StringComparison.OrdinalIgnoreCase)
                || name.Equals($"{Exporter}{signal}_CLIENT_CERTIFICATE", StringComparison.OrdinalIgnoreCase)
                || name.Equals($"{Exporter}{signal}_CLIENT_KEY", StringComparison.OrdinalIgnoreCase))
            {
                return "the .NET exporter reads the certificates for all signals at once only: use OTEL_EXPORTER_OTLP_CERTIFICATE, OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE and OTEL_EXPORTER_OTLP_CLIENT_KEY";
            }
        }

        if (name.StartsWith(Exporter, StringComparison.OrdinalIgnoreCase))
        {
            return "it is no setting of the .NET OTLP exporter (a misspelt name?)";
        }

        if (name.StartsWith("OTEL_EXPORTER_", StringComparison.OrdinalIgnoreCase))
        {
            return "these services export over OTLP only (OTEL_EXPORTER_OTLP_*); send to other backends through an OpenTelemetry Collector";
        }

        return null;
    }
}
