using System.Globalization;

namespace InferenceCluster.ServiceDefaults;

/// <summary>
/// The OTLP exporter's settings (OTEL_EXPORTER_OTLP_*, for all signals and per signal), which the SDK reads itself when
/// export is on: whether export is on, and each value checked as the SDK would need it. The SDK skipped an endpoint that
/// is no URL, an unknown protocol or compression and a timeout that is no number, each without a word, and failed the
/// start with a stack trace on headers it could not read.
/// </summary>
internal static class OtlpExport
{
    private static readonly string[] PerSignal = ["ENDPOINT", "PROTOCOL", "HEADERS", "TIMEOUT", "COMPRESSION"];

    private static readonly string[] AllSignalsOnly =
        ["CERTIFICATE", "CLIENT_CERTIFICATE", "CLIENT_KEY", "METRICS_TEMPORALITY_PREFERENCE", "METRICS_DEFAULT_HISTOGRAM_AGGREGATION"];

    /// <summary>Whether <paramref name="name"/> is an exporter setting the SDK reads.</summary>
    internal static bool Honours(string name)
    {
        var upper = name.ToUpperInvariant();
        if (!upper.StartsWith(OtelVariables.Exporter, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = upper[OtelVariables.Exporter.Length..];
        return PerSignal.Contains(rest) || AllSignalsOnly.Contains(rest)
            || OtelVariables.Signals.Any(signal => rest.StartsWith(signal + "_", StringComparison.Ordinal) && PerSignal.Contains(rest[(signal.Length + 1)..]));
    }

    /// <summary>
    /// Export is on with OTEL_EXPORTER_OTLP_ENDPOINT, or with an endpoint for each signal. The exporter sends the three
    /// signals together: with one signal's endpoint alone the other two would go to its default, localhost:4317.
    /// </summary>
    internal static bool IsOn(Func<string, string?> setting, List<string> problems)
    {
        if (setting(OtelVariables.Endpoint) is not null)
        {
            return true;
        }

        var signals = OtelVariables.Signals.Select(signal => $"{OtelVariables.Exporter}{signal}_ENDPOINT").ToList();
        var set = signals.Where(name => setting(name) is not null).ToList();
        if (set.Count is > 0 and < 3)
        {
            problems.Add(
                $"{string.Join(" and ", set)} set without {OtelVariables.Endpoint}: these services export traces, metrics and logs " +
                $"together, and the other signals would go to the exporter's default, localhost:4317; set {OtelVariables.Endpoint} " +
                $"too, or the endpoints of all three signals ({string.Join(", ", signals)}).");
        }

        return set.Count == 3;
    }

    /// <summary>Checks the exporter setting <paramref name="name"/>; what is wrong goes to <paramref name="problems"/>.</summary>
    internal static void Check(string name, string value, Func<string, string?> setting, List<string> problems)
    {
        var upper = name.ToUpperInvariant();
        var rest = upper[OtelVariables.Exporter.Length..];
        if (OtelChoices.Check(name, value, problems))
        {
            return;
        }

        if (rest is "CERTIFICATE" or "CLIENT_CERTIFICATE" or "CLIENT_KEY")
        {
            CheckCertificate(name, rest, value, setting, problems);
        }
        else if (upper.EndsWith("_ENDPOINT", StringComparison.Ordinal))
        {
            if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                problems.Add(
                    $"{name} must be an http:// or https:// URL such as http://127.0.0.1:4317; the value set is not one " +
                    "(it is not repeated here, as it may carry a secret).");
            }
        }
        else if (upper.EndsWith("_PROTOCOL", StringComparison.Ordinal))
        {
            if (value is not ("grpc" or "http/protobuf"))
            {
                problems.Add($"{name} must be grpc or http/protobuf; it is '{value}'.");
            }
        }
        else if (upper.EndsWith("_HEADERS", StringComparison.Ordinal))
        {
            if (!OtlpHeaders.AreValid(value))
            {
                problems.Add(
                    $"{name} must be key=value pairs separated by commas (e.g. api-key=…,tenant=…; values percent-encoded), each key a " +
                    "header name and no control characters; the value set is not (it is not repeated here, as it carries secrets).");
            }
        }
        else if (upper.EndsWith("_TIMEOUT", StringComparison.Ordinal))
        {
            if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds) || milliseconds < 1)
            {
                problems.Add($"{name} must be a whole number of milliseconds, at least 1 (the exporter's default is 10000); it is '{value}'.");
            }
        }
        else if (upper.EndsWith("_COMPRESSION", StringComparison.Ordinal) && value.ToLowerInvariant() is not ("none" or "gzip"))
        {
            problems.Add($"{name} must be none or gzip; it is '{value}'.");
        }
    }

    /// <summary>Paths to PEM files: a missing file made the exporter fail at its first export; a client certificate needs its key.</summary>
    private static void CheckCertificate(string name, string rest, string value, Func<string, string?> setting, List<string> problems)
    {
        if (!File.Exists(value))
        {
            problems.Add($"{name} must be the path of a readable PEM file; there is no file at the path set.");
        }

        var other = rest switch
        {
            "CLIENT_CERTIFICATE" => $"{OtelVariables.Exporter}CLIENT_KEY",
            "CLIENT_KEY" => $"{OtelVariables.Exporter}CLIENT_CERTIFICATE",
            _ => null,
        };
        if (other is not null && setting(other) is null)
        {
            problems.Add($"{name} is set without {other}: mutual TLS needs both the client certificate and its key.");
        }
    }
}
