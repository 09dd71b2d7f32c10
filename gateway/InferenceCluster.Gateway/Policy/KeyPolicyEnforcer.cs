using System.Globalization;
using InferenceCluster.Contracts;
using InferenceCluster.Gateway.OpenAI;
using Microsoft.AspNetCore.Http;

namespace InferenceCluster.Gateway.Policy;

/// <summary>
/// Applies an API key's policy to a merged config, after request, profile and defaults (and before greedy
/// versus sampled is decided): pins replace values, ranges reject a client's value outside them (a server-chosen value is
/// clamped instead), the max_tokens cap lowers, and long outputs get a higher repetition penalty.
/// Every change is added to the caller's list of adjustments so the client and the trace can see it.
/// </summary>
internal static class KeyPolicyEnforcer
{
    public const string OutsideRangeCode = "outside_allowed_range";

    /// <summary>
    /// Applies <paramref name="policy"/> to <paramref name="config"/> and adds each change to <paramref name="adjustments"/>;
    /// an error for a client's max_tokens names it <paramref name="maxTokensParam"/>, as the request's wire format calls it.
    /// </summary>
    public static GenerationConfig Apply(
        GenerationConfig config, List<PolicyAdjustment> adjustments, SamplingSettings requested, KeyPolicy? policy, string maxTokensParam = PolicyParams.MaxTokens)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(adjustments);
        ArgumentNullException.ThrowIfNull(requested);
        if (policy is null)
        {
            return config;
        }

        foreach (var (param, pinned) in policy.Pins.OrderBy(pin => pin.Key, StringComparer.Ordinal))
        {
            if (Get(config, param) != pinned)
            {
                config = Set(config, param, pinned);
                adjustments.Add(new PolicyAdjustment(param, pinned, "pinned"));
            }
        }

        foreach (var (param, range) in policy.Ranges.OrderBy(range => range.Key, StringComparer.Ordinal))
        {
            var value = Get(config, param);
            if (policy.Pins.ContainsKey(param) || range.Contains(value))
            {
                continue;
            }

            if (SetByClient(requested, param))
            {
                // The client is told in its own wire format's words; the policy's names are chat's.
                var named = param == PolicyParams.MaxTokens ? maxTokensParam : param;
                throw new OpenAIException(
                    StatusCodes.Status400BadRequest,
                    $"'{named}' = {Format(value)} is outside the range this API key allows ({Format(range.Min)} to {Format(range.Max)}).",
                    OpenAIException.InvalidRequestType,
                    named,
                    OutsideRangeCode);
            }

            var clamped = range.Clamp(value);
            config = Set(config, param, clamped);
            adjustments.Add(new PolicyAdjustment(param, clamped, "range"));
        }

        if (policy.MaxTokensCap is { } cap && config.MaxTokens > cap)
        {
            config = config with { MaxTokens = cap };
            adjustments.Add(new PolicyAdjustment(PolicyParams.MaxTokens, cap, "capped"));
            if (config.MinTokens > cap)
            {
                config = config with { MinTokens = cap };
                adjustments.Add(new PolicyAdjustment(PolicyParams.MinTokens, cap, "capped"));
            }
        }

        if (policy.LongOutput is { } rule
            && config.MaxTokens > rule.AboveTokens
            && config.RepetitionPenalty < rule.RepetitionPenalty
            && !policy.Pins.ContainsKey(PolicyParams.RepetitionPenalty))
        {
            config = config with { RepetitionPenalty = rule.RepetitionPenalty };
            adjustments.Add(new PolicyAdjustment(PolicyParams.RepetitionPenalty, rule.RepetitionPenalty, "long_output"));
        }

        return config;
    }

    /// <summary>
    /// The temperature <see cref="Apply"/> will leave: pinned, or clamped into the key's range. A client's value
    /// outside the range is returned as is; <see cref="Apply"/> rejects it.
    /// </summary>
    public static double FinalTemperature(double temperature, SamplingSettings requested, KeyPolicy? policy)
    {
        ArgumentNullException.ThrowIfNull(requested);
        if (policy is null)
        {
            return temperature;
        }

        if (policy.Pins.TryGetValue(PolicyParams.Temperature, out var pinned))
        {
            return pinned;
        }

        return policy.Ranges.TryGetValue(PolicyParams.Temperature, out var range) && !range.Contains(temperature) && requested.Temperature is null
            ? range.Clamp(temperature)
            : temperature;
    }

    internal static double Get(GenerationConfig config, string param) => param switch
    {
        PolicyParams.Temperature => config.Temperature,
        PolicyParams.TopP => config.TopP,
        PolicyParams.TopK => config.TopK,
        PolicyParams.MaxTokens => config.MaxTokens,
        PolicyParams.MinTokens => config.MinTokens,
        PolicyParams.RepetitionPenalty => config.RepetitionPenalty,
        _ => throw new ArgumentOutOfRangeException(nameof(param), param, "Not a policy parameter."),
    };

    private static GenerationConfig Set(GenerationConfig config, string param, double value) => param switch
    {
        PolicyParams.Temperature => config with { Temperature = value },
        PolicyParams.TopP => config with { TopP = value },
        PolicyParams.TopK => config with { TopK = (int)value },
        PolicyParams.MaxTokens => config with { MaxTokens = (int)value, MinTokens = Math.Min(config.MinTokens, (int)value) },
        PolicyParams.MinTokens => config with { MinTokens = Math.Min((int)value, config.MaxTokens) },
        PolicyParams.RepetitionPenalty => config with { RepetitionPenalty = value },
        _ => throw new ArgumentOutOfRangeException(nameof(param), param, "Not a policy parameter."),
    };

    private static bool SetByClient(SamplingSettings requested, string param) => param switch
    {
        PolicyParams.Temperature => requested.Temperature is not null,
        PolicyParams.TopP => requested.TopP is not null,
        PolicyParams.TopK => requested.TopK is not null,
        PolicyParams.MaxTokens => requested.MaxTokens is not null,
        PolicyParams.MinTokens => requested.MinTokens is not null,
        PolicyParams.RepetitionPenalty => requested.RepetitionPenalty is not null,
        _ => false,
    };

    private static string Format(double? value) => value?.ToString("0.####", CultureInfo.InvariantCulture) ?? "unbounded";
}
