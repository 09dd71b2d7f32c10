using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace InferenceCluster.ServiceDefaults;

/// <summary>
/// Reads every OTEL_* setting at start and refuses, with <see cref="InvalidSettingException"/> (exit 78), one the
/// services would not honour: the SDK skips a value it cannot read, an exporter setting while export is off, or a name
/// it does not know, all without a word, and the service ran without the telemetry it was configured for. A message
/// names the setting and repeats a value only when it is one of a known set (OTEL_EXPORTER_OTLP_HEADERS, the endpoints
/// and the certificate paths may carry secrets).
/// </summary>
internal static class OtelSettingsCheck
{
    /// <summary>The telemetry <paramref name="configuration"/> asks for; throws when a setting cannot be honoured.</summary>
    internal static TelemetrySettings Read(IConfiguration configuration)
    {
        // Configuration keys, like the SDK's reading of them, ignore case; an empty value is no value, as for the SDK.
        var set = configuration.AsEnumerable()
            .Where(setting => !setting.Key.Contains(':', StringComparison.Ordinal)
                && setting.Key.StartsWith(OtelVariables.Prefix, StringComparison.OrdinalIgnoreCase)
                && !string.IsNullOrWhiteSpace(setting.Value))
            .ToDictionary(setting => setting.Key, setting => setting.Value!.Trim(), StringComparer.OrdinalIgnoreCase);
        string? Value(string name) => set.GetValueOrDefault(name);

        var problems = new List<string>();
        var disabled = string.Equals(Value(OtelVariables.SdkDisabled), "true", StringComparison.OrdinalIgnoreCase);
        // With the SDK off nothing is exported, so which signals' endpoints are set is moot.
        var export = OtlpExport.IsOn(Value, disabled ? [] : problems);
        var sampler = TraceSampling.Create(Value, problems);
        var unknown = new List<string>();
        foreach (var (name, value) in set.OrderBy(setting => setting.Key, StringComparer.OrdinalIgnoreCase))
        {
            if (OtelVariables.RefusalOf(name) is { } refusal && !OtlpExport.Honours(name))
            {
                problems.Add($"{name} is not honoured: {refusal}.");
            }
            else if (OtlpExport.Honours(name) || OtelVariables.ExportIntegers.ContainsKey(name))
            {
                if (!export && !disabled)
                {
                    // An endpoint of one signal alone is reported once, by OtlpExport.IsOn.
                    if (!name.EndsWith("_ENDPOINT", StringComparison.OrdinalIgnoreCase))
                    {
                        problems.Add($"{name} is set, but OTLP export is off: set {OtelVariables.Endpoint} (e.g. http://127.0.0.1:4317) to export.");
                    }
                }
                else if (OtlpExport.Honours(name))
                {
                    OtlpExport.Check(name, value, Value, problems);
                }
                else
                {
                    CheckInteger(name, value, problems);
                }
            }
            else if (OtelChoices.Check(name, value, problems))
            {
                // Checked against its set of values.
            }
            else if (name.Equals(OtelVariables.ResourceAttributes, StringComparison.OrdinalIgnoreCase))
            {
                CheckResourceAttributes(value, problems);
            }
            else if (name.Equals(OtelVariables.Propagators, StringComparison.OrdinalIgnoreCase))
            {
                CheckPropagators(value, problems);
            }
            else if (SignalExporter(name) is { } signal)
            {
                // With the SDK off nothing is exported whatever the exporters say: the choice is moot.
                if (!disabled)
                {
                    CheckSignalExporter(name, signal, value, export, problems);
                }
            }
            else if (!IsRead(name))
            {
                unknown.Add(name);
            }
        }

        if (problems.Count > 0)
        {
            throw new InvalidSettingException(string.Join(" ", problems));
        }

        return new TelemetrySettings(export && !disabled, sampler, unknown);
    }

    /// <summary>Names read elsewhere: by the code (service name, sampler) or by the SDK and .NET's auto-instrumentation (OTEL_DOTNET_*).</summary>
    private static bool IsRead(string name) =>
        name.Equals(OtelVariables.ServiceName, StringComparison.OrdinalIgnoreCase)
        || name.Equals(OtelVariables.Sampler, StringComparison.OrdinalIgnoreCase)
        || name.Equals(OtelVariables.SamplerArgument, StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("OTEL_DOTNET_", StringComparison.OrdinalIgnoreCase);

    private static void CheckInteger(string name, string value, List<string> problems)
    {
        var least = OtelVariables.ExportIntegers[name];
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < least)
        {
            problems.Add($"{name} must be a whole number of at least {least} (milliseconds for a delay, interval or timeout); it is '{value}'.");
        }
    }

    /// <summary>key=value pairs separated by commas; the SDK skipped a pair without '=' and kept the rest.</summary>
    private static void CheckResourceAttributes(string value, List<string> problems)
    {
        foreach (var pair in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || pair[..equals].Trim().Length == 0)
            {
                problems.Add(
                    $"{OtelVariables.ResourceAttributes} must be key=value pairs separated by commas (values percent-encoded, e.g. " +
                    "deployment.environment.name=prod,service.namespace=inference); one entry has no key or no '='.");
                return;
            }
        }
    }

    /// <summary>.NET propagates W3C trace context and baggage, and nothing else.</summary>
    private static void CheckPropagators(string value, List<string> problems)
    {
        var propagators = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(propagator => propagator.ToLowerInvariant())
            .ToHashSet();
        if (!propagators.SetEquals(["tracecontext", "baggage"]))
        {
            problems.Add(
                $"{OtelVariables.Propagators} can only be tracecontext,baggage (W3C trace context and baggage, what .NET and MassTransit " +
                $"propagate); it is '{value}'.");
        }
    }

    private static string? SignalExporter(string name) =>
        OtelVariables.Signals.FirstOrDefault(signal => name.Equals($"OTEL_{signal}_EXPORTER", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// OTEL_{TRACES,METRICS,LOGS}_EXPORTER: every signal goes over OTLP when export is on, and metrics are always
    /// scraped at /metrics (prometheus); with export off traces and logs go nowhere (none). Another choice (console, zipkin,
    /// none with export on) cannot be honoured.
    /// </summary>
    private static void CheckSignalExporter(string name, string signal, string value, bool export, List<string> problems)
    {
        var exporters = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(exporter => exporter.ToLowerInvariant())
            .ToHashSet();
        var allowed = signal == "METRICS" ? new HashSet<string> { "otlp", "prometheus" } : ["otlp"];
        // none for traces or logs with export off says what happens: they go nowhere. Metrics are still served at /metrics.
        var nowhere = !export && signal != "METRICS" && exporters.SetEquals(["none"]);
        var honoured = nowhere || (exporters.Count > 0 && exporters.IsSubsetOf(allowed) && exporters.Contains("otlp") == export);
        if (!honoured)
        {
            var does = export ? "over OTLP" : $"nowhere (OTLP export is off: {OtelVariables.Endpoint} is not set)";
            var metrics = signal == "METRICS" ? ", and serve metrics at /metrics for Prometheus" : string.Empty;
            problems.Add(
                $"{name} cannot be honoured: these services export {signal.ToLowerInvariant()} {does}{metrics}; it is '{value}' " +
                $"(leave it unset, or turn all telemetry off with {OtelVariables.SdkDisabled}=true).");
        }
    }
}
