using OpenTelemetry.Trace;

namespace InferenceCluster.ServiceDefaults;

/// <summary>
/// What the OTEL_* settings ask of a service: OTLP export on or off, the trace sampler, and the names under OTEL_
/// that are neither the specification's nor .NET's (logged as having no effect at start).
/// </summary>
internal sealed record TelemetrySettings(bool ExportOtlp, Sampler Sampler, IReadOnlyList<string> Unknown);
