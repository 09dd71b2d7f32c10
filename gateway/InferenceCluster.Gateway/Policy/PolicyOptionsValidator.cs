using System.Globalization;
using InferenceCluster.Contracts;
using Microsoft.Extensions.Options;

namespace InferenceCluster.Gateway.Policy;

/// <summary>Checks the policy settings at start, so a bad one stops the process with a message naming its key.</summary>
internal sealed class PolicyOptionsValidator : IValidateOptions<PolicyOptions>
{
    public ValidateOptionsResult Validate(string? name, PolicyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();

        foreach (var (profileName, profile) in options.Profiles)
        {
            var key = $"Gateway:Profiles:{profileName}";
            if (profileName.Length == 0 || profileName.Contains(ModelProfile.Separator, StringComparison.Ordinal))
            {
                failures.Add($"{key}: a profile name must be non-empty and contain no '{ModelProfile.Separator}'.");
            }

            // Only a floor above the ceiling set beside it is refused: one above a ceiling from elsewhere (the defaults, the
            // built-in value) binds only requests without a max_tokens of their own, and the merge lowers it and reports it.
            failures.AddRange(profile.Violations(param => PolicyParams.SettingKey(key, param)));
        }

        for (var i = 0; i < options.CoupledTopP.Bands.Count; i++)
        {
            var band = options.CoupledTopP.Bands[i];
            var key = $"Gateway:CoupledTopP:Bands:{i}";
            if (band.TemperatureMin > band.TemperatureMax || band.TopPMin <= 0 || band.TopPMax > 1 || band.TopPMin > band.TopPMax)
            {
                failures.Add($"{key}: needs TemperatureMin <= TemperatureMax and 0 < TopPMin <= TopPMax <= 1.");
            }
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.ApiKeys.Count; i++)
        {
            ValidateKey(failures, $"Gateway:ApiKeys:{i}", options.ApiKeys[i], names);
        }

        if (options.MaxQueuedPerModel < 0)
        {
            failures.Add("Gateway:MaxQueuedPerModel must be 0 (no limit) or positive.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateKey(List<string> failures, string key, ApiKeyEntry entry, HashSet<string> names)
    {
        if (string.IsNullOrWhiteSpace(entry.Name) || !names.Add(entry.Name))
        {
            failures.Add($"{key}:Name must be set and unique.");
        }

        if (entry.Sha256.Length != 64 || !entry.Sha256.All(char.IsAsciiHexDigit))
        {
            failures.Add($"{key}:Sha256 must be the 64 hex digits of the key's SHA-256 (printf %s \"$KEY\" | sha256sum).");
        }

        var policy = entry.Policy;
        foreach (var (param, range) in policy.Ranges)
        {
            if (!PolicyParams.All.Contains(param))
            {
                failures.Add($"{key}:Policy:Ranges:{param} is not a parameter a policy can limit ({string.Join(", ", PolicyParams.All)}).");
            }
            else if (range.Min > range.Max)
            {
                failures.Add($"{key}:Policy:Ranges:{param}: Min must not exceed Max.");
            }
        }

        foreach (var (param, value) in policy.Pins)
        {
            if (!PolicyParams.All.Contains(param))
            {
                failures.Add($"{key}:Policy:Pins:{param} is not a parameter a policy can pin ({string.Join(", ", PolicyParams.All)}).");
            }
            else if (double.IsNaN(value) || (PolicyParams.IsInteger(param) && value != Math.Floor(value)))
            {
                failures.Add($"{key}:Policy:Pins:{param} must be a {(PolicyParams.IsInteger(param) ? "whole number" : "number")}.");
            }
            else if (SamplingSettings.Check(param, value, $"{key}:Policy:Pins:{param}") is { } outside)
            {
                // A pin outside what a request may set would only fail later, at the worker, for every request.
                failures.Add(outside);
            }
        }

        Check(failures, $"{key}:Policy:MaxTokensCap", policy.MaxTokensCap, 1, 1_000_000);
        Check(failures, $"{key}:Policy:RequestsPerMinute", policy.RequestsPerMinute, 1, 1_000_000);
        if (policy.LongOutput is { } rule)
        {
            Check(failures, $"{key}:Policy:LongOutput:AboveTokens", rule.AboveTokens, 0, 1_000_000);
            if (SamplingSettings.Check(PolicyParams.RepetitionPenalty, rule.RepetitionPenalty, $"{key}:Policy:LongOutput:RepetitionPenalty") is { } penalty)
            {
                failures.Add(penalty);
            }
        }
    }

    private static void Check(List<string> failures, string key, double? value, double min, double max)
    {
        if (value is { } actual && (double.IsNaN(actual) || actual < min || actual > max))
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{key} must lie between {min} and {max}; got {actual}."));
        }
    }
}
