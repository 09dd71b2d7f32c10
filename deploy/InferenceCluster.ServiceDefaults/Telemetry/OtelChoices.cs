namespace InferenceCluster.ServiceDefaults;

/// <summary>
/// The OTEL_* settings with a fixed set of values, which the SDK reads in any case: one check for all of them, so a
/// value outside its set is refused the same way whether it belongs to the exporter, the SDK or its self-diagnostics.
/// </summary>
internal static class OtelChoices
{
    internal const string SelfDiagnosticsVariables = "OTEL_DOTNET_SELF_DIAGNOSTICS_ENV_VARS";

    /// <summary>The values each setting takes, lower case.</summary>
    internal static readonly IReadOnlyDictionary<string, string[]> Values = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase)
    {
        [OtelVariables.SdkDisabled] = ["true", "false"],
        ["OTEL_METRICS_EXEMPLAR_FILTER"] = ["always_on", "always_off", "trace_based"],
        ["OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE"] = ["cumulative", "delta", "lowmemory"],
        ["OTEL_EXPORTER_OTLP_METRICS_DEFAULT_HISTOGRAM_AGGREGATION"] = ["explicit_bucket_histogram", "base2_exponential_bucket_histogram"],

        // The SDK's self-diagnostics level: the specification's names, and the .NET LogLevel names it takes as aliases.
        ["OTEL_LOG_LEVEL"] = ["error", "warn", "info", "debug", "trace", "none", "critical", "warning", "information"],

        // "all" is refused below: it writes every OTEL_* value, the exporter's headers included, to the diagnostics log.
        [SelfDiagnosticsVariables] = ["none", "names", "knownsafe"],
    };

    /// <summary>
    /// Whether <paramref name="name"/> has a fixed set of values; a value outside it goes to <paramref name="problems"/>,
    /// repeated (it is one of a known set or a mistyped one, never a secret).
    /// </summary>
    internal static bool Check(string name, string value, List<string> problems)
    {
        if (!Values.TryGetValue(name, out var choices))
        {
            return false;
        }

        var lower = value.ToLowerInvariant();
        if (name.Equals(SelfDiagnosticsVariables, StringComparison.OrdinalIgnoreCase) && lower is "all" or "allvalues")
        {
            problems.Add(
                $"{name}={value} is refused: the SDK would write every OTEL_* value verbatim to its diagnostics log, " +
                $"{OtelVariables.Headers} (API keys) included, and these services never log the headers; use knownsafe (the default) or names.");
        }
        else if (!choices.Contains(lower))
        {
            problems.Add($"{name} must be one of {string.Join(", ", choices)}; it is '{value}'.");
        }

        return true;
    }
}
