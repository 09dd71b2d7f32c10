using System.Globalization;
using OpenTelemetry.Trace;

namespace InferenceCluster.ServiceDefaults;

/// <summary>
/// The trace sampler OTEL_TRACES_SAMPLER and OTEL_TRACES_SAMPLER_ARG ask for. The SDK reads them only when no sampler is
/// set in code, and the services set one (<see cref="HeartbeatQuietSampler"/>), so they were ignored without a word: they
/// are read here and decide the traces other than heartbeats and receive probes, which stay quiet whatever is asked.
/// </summary>
internal static class TraceSampling
{
    private const string Default = "parentbased_always_on";

    /// <summary>The sampler for the settings in <paramref name="setting"/>; a setting it cannot honour is added to <paramref name="problems"/>.</summary>
    internal static Sampler Create(Func<string, string?> setting, List<string> problems)
    {
        var name = setting(OtelVariables.Sampler)?.Trim().ToLowerInvariant() ?? Default;
        var argument = setting(OtelVariables.SamplerArgument);
        if (argument is not null && name != "parentbased_traceidratio")
        {
            problems.Add($"{OtelVariables.SamplerArgument} is read only with {OtelVariables.Sampler}=parentbased_traceidratio; it is '{name}'.");
        }

        switch (name)
        {
            case Default:
                return new HeartbeatQuietSampler(new AlwaysOnSampler());
            case "parentbased_always_off":
                return new HeartbeatQuietSampler(new AlwaysOffSampler());
            case "parentbased_traceidratio":
                return new HeartbeatQuietSampler(new TraceIdRatioBasedSampler(Ratio(argument, problems)));
            case "always_off":
                return new AlwaysOffSampler();
            case "always_on" or "traceidratio":
                problems.Add(
                    $"{OtelVariables.Sampler}={name} decides each span without its parent's decision: it would export the spans of worker " +
                    $"heartbeats and receive probes, which these services keep out, and could keep part of a request's trace; use " +
                    $"parentbased_{(name == "always_on" ? "always_on (the default)" : "traceidratio")}.");
                return new AlwaysOffSampler();
            default:
                problems.Add(
                    $"{OtelVariables.Sampler} must be parentbased_always_on (the default), parentbased_always_off, parentbased_traceidratio " +
                    $"or always_off; it is '{name}'.");
                return new AlwaysOffSampler();
        }
    }

    /// <summary>OTEL_TRACES_SAMPLER_ARG: the share of traces kept, 0 to 1; 1 when unset, as the SDK has it.</summary>
    private static double Ratio(string? argument, List<string> problems)
    {
        if (argument is null)
        {
            return 1.0;
        }

        if (double.TryParse(argument, NumberStyles.Float, CultureInfo.InvariantCulture, out var ratio) && ratio is >= 0 and <= 1)
        {
            return ratio;
        }

        problems.Add($"{OtelVariables.SamplerArgument} must be a number from 0 to 1 (the share of traces kept, e.g. 0.25); it is '{argument}'.");
        return 1.0;
    }
}
