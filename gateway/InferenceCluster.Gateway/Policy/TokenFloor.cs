using InferenceCluster.Contracts;

namespace InferenceCluster.Gateway.Policy;

/// <summary>
/// The min_tokens a request runs with, decided last, against the max_tokens it will run with (after the key's pins,
/// ranges and cap): a floor is never above that ceiling. Fitting it earlier would lower it against a max_tokens a pin or
/// range then raises, and report a lowering that did not happen. A key's pin or range on min_tokens is reported with
/// the value applied; a floor from the request, a profile or the defaults that the ceiling lowers is reported as
/// <c>min_tokens=n (max_tokens)</c>, or <c>(capped)</c> when the key's cap set that ceiling.
/// </summary>
internal static class TokenFloor
{
    /// <summary>
    /// <paramref name="config"/> with its floor fitted under its max_tokens and the key's pin or range on min_tokens
    /// applied, each change added to <paramref name="adjustments"/>; a client's own min_tokens outside the key's range is
    /// a 400.
    /// </summary>
    public static GenerationConfig Fit(
        GenerationConfig config, List<PolicyAdjustment> adjustments, SamplingSettings requested, KeyPolicy? policy, bool capped)
    {
        var wanted = config.MinTokens;
        string? reason = null;
        if (policy is not null && policy.Pins.TryGetValue(PolicyParams.MinTokens, out var pinned))
        {
            (wanted, reason) = ((int)pinned, "pinned");
        }
        else if (policy is not null && policy.Ranges.TryGetValue(PolicyParams.MinTokens, out var range) && !range.Contains(wanted))
        {
            if (requested.MinTokens is not null)
            {
                throw GenerationPolicy.OutsideRange(PolicyParams.MinTokens, wanted, range);
            }

            (wanted, reason) = ((int)range.Clamp(wanted), "range");
        }

        var applied = Math.Min(wanted, config.MaxTokens);
        if (applied == config.MinTokens)
        {
            return config;
        }

        adjustments.Add(new PolicyAdjustment(PolicyParams.MinTokens, applied, reason ?? (capped ? "capped" : PolicyParams.MaxTokens)));
        return config with { MinTokens = applied };
    }
}
