using InferenceCluster.Gateway.OpenAI;

namespace InferenceCluster.Gateway.Policy;

/// <summary>
/// The min_tokens a request runs with, decided last, against the max_tokens it will run with (after the key's pins,
/// ranges and cap): a floor is never above that ceiling. Fitting it earlier would lower it against a max_tokens a pin or
/// range then raises, and report a lowering that did not happen. A key's pin or range on min_tokens is reported with
/// the value applied; a floor from the request, a profile or the defaults that the ceiling lowers is reported as
/// <c>min_tokens=n (max_tokens)</c>, or <c>(capped)</c> when the key's cap set that ceiling. A client's own min_tokens above
/// the ceiling is a 400 when the ceiling is the request's, the profile's or the defaults', checked here against the final
/// ceiling and not the merged one, so a pin or range that raises max_tokens above it lets it run; when the key's policy set
/// the ceiling (a pin, a range's clamp, the cap), the policy outranks the client and the floor is lowered with it.
/// </summary>
internal static class TokenFloor
{
    /// <summary>
    /// The min_tokens a request runs with: the merged <paramref name="floor"/>, or the key's <paramref name="pin"/>, or the
    /// floor clamped into the key's <paramref name="range"/>, never above <paramref name="ceiling"/>, the max_tokens it runs
    /// with; a change is added to <paramref name="adjustments"/>. A client's own min_tokens (<paramref name="sent"/>)
    /// outside the range, or above a <paramref name="ceiling"/> the key's policy did not set (<paramref name="ceilingFromPolicy"/>),
    /// is a 400. Token numbers only: the rest of the config has no part in the floor.
    /// </summary>
    public static int Fit(
        int floor, int ceiling, bool sent, double? pin, ParameterRange? range, bool capped, bool ceilingFromPolicy, List<PolicyAdjustment> adjustments)
    {
        ArgumentNullException.ThrowIfNull(adjustments);
        var wanted = floor;
        string? reason = null;
        if (pin is { } pinned)
        {
            (wanted, reason) = ((int)pinned, "pinned");
        }
        else if (range is not null && !range.Contains(wanted))
        {
            if (sent)
            {
                throw GenerationPolicy.OutsideRange(PolicyParams.MinTokens, wanted, range);
            }

            (wanted, reason) = ((int)range.Clamp(wanted), "range");
        }

        if (sent && reason is null && wanted > ceiling && !ceilingFromPolicy)
        {
            throw OpenAIException.InvalidValue(
                "min_tokens", $"'min_tokens' ({wanted}) must not exceed the maximum number of tokens this request runs with ({ceiling}, the server default or profile value).");
        }

        var applied = Math.Min(wanted, ceiling);
        if (applied != floor)
        {
            adjustments.Add(new PolicyAdjustment(PolicyParams.MinTokens, applied, reason ?? (capped ? "capped" : PolicyParams.MaxTokens)));
        }

        return applied;
    }
}
