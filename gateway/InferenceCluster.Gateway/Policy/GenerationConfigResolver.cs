using InferenceCluster.Contracts;
using InferenceCluster.Gateway.OpenAI;

namespace InferenceCluster.Gateway.Policy;

/// <summary>
/// The one merge that turns a request's sampling settings into the complete config it runs with, once, at
/// the edge: the request, then the profile, then the server's defaults fill each value; the key's policy
/// pins, ranges and caps them; then greedy versus sampled is decided, with everything known. A coupled top_p
/// follows the final temperature. The result travels with the command; nothing is kept.
/// </summary>
internal static class GenerationConfigResolver
{
    /// <summary>What the server uses for a value that neither the request, a profile nor <c>Gateway:Defaults</c> sets.</summary>
    public static SamplingSettings BuiltInDefaults { get; } = new()
    {
        DoSample = true,
        Temperature = 0.55,
        TopP = 0.95,
        TopK = 0,
        MaxTokens = 1024,
        MinTokens = 0,
        RepetitionPenalty = 1.02,
    };

    /// <summary>The server's defaults as configured, with the built-in value for each one not configured.</summary>
    public static SamplingSettings WithBuiltInDefaults(SamplingSettings configured)
    {
        ArgumentNullException.ThrowIfNull(configured);
        return new SamplingSettings
        {
            DoSample = configured.DoSample ?? BuiltInDefaults.DoSample,
            Temperature = configured.Temperature ?? BuiltInDefaults.Temperature,
            TopP = configured.TopP ?? BuiltInDefaults.TopP,
            TopK = configured.TopK ?? BuiltInDefaults.TopK,
            MaxTokens = configured.MaxTokens ?? BuiltInDefaults.MaxTokens,
            MinTokens = configured.MinTokens ?? BuiltInDefaults.MinTokens,
            RepetitionPenalty = configured.RepetitionPenalty ?? BuiltInDefaults.RepetitionPenalty,
            Seed = configured.Seed,
        };
    }

    public static GenerationConfig Resolve(SamplingSettings requested, SamplingSettings defaults) =>
        Resolve(requested, defaults, profileName: null, profile: null, coupled: null, policy: null).Config;

    public static ResolvedGeneration Resolve(
        SamplingSettings requested,
        SamplingSettings defaults,
        string? profileName,
        SamplingSettings? profile,
        CoupledTopPOptions? coupled,
        KeyPolicy? policy,
        string maxTokensParam = PolicyParams.MaxTokens)
    {
        ArgumentNullException.ThrowIfNull(requested);
        ArgumentNullException.ThrowIfNull(defaults);
        var adjustments = new List<PolicyAdjustment>();
        var fromProfile = $"profile {profileName}";

        var fallback = WithBuiltInDefaults(defaults);
        double Merge(double? requestedValue, double? profileValue, double? defaultValue, string param)
        {
            if (requestedValue is { } own)
            {
                return own;
            }

            if (profileValue is { } chosen)
            {
                adjustments.Add(new PolicyAdjustment(param, chosen, fromProfile));
                return chosen;
            }

            return defaultValue!.Value;
        }

        var temperature = Merge(requested.Temperature, profile?.Temperature, fallback.Temperature, PolicyParams.Temperature);

        // The client moved the temperature but not top_p: a profile's or default's top_p was tuned for another
        // temperature. The pair is matched to the temperature the request will run with, after the key's policy.
        double topP;
        if (requested.TopP is null
            && requested.Temperature is not null
            && coupled is { Enabled: true }
            && CoupledTopP.For(KeyPolicyEnforcer.FinalTemperature(temperature, requested, policy), coupled.Bands) is { } matched)
        {
            topP = matched;
            adjustments.Add(new PolicyAdjustment(PolicyParams.TopP, matched, "coupled"));
        }
        else
        {
            topP = Merge(requested.TopP, profile?.TopP, fallback.TopP, PolicyParams.TopP);
        }

        var topK = (int)Merge(requested.TopK, profile?.TopK, fallback.TopK, PolicyParams.TopK);
        var maxTokens = (int)Merge(requested.MaxTokens, profile?.MaxTokens, fallback.MaxTokens, PolicyParams.MaxTokens);
        var repetitionPenalty = Merge(
            requested.RepetitionPenalty, profile?.RepetitionPenalty, fallback.RepetitionPenalty, PolicyParams.RepetitionPenalty);
        var minTokens = (int)Merge(requested.MinTokens, profile?.MinTokens, fallback.MinTokens, PolicyParams.MinTokens);
        if (minTokens > maxTokens)
        {
            throw OpenAIException.InvalidValue(
                "min_tokens",
                $"'min_tokens' ({minTokens}) must not exceed the maximum number of tokens ({maxTokens}, the server default or profile value).");
        }

        var merged = new GenerationConfig
        {
            // Decided below, once the policy has had its say.
            DoSample = false,
            Temperature = temperature,
            TopP = topP,
            TopK = topK,
            MaxTokens = maxTokens,
            MinTokens = minTokens,
            RepetitionPenalty = repetitionPenalty,
            Seed = requested.Seed ?? profile?.Seed ?? fallback.Seed,
        };
        var resolved = KeyPolicyEnforcer.Apply(new ResolvedGeneration(merged, adjustments), requested, policy, maxTokensParam);
        var config = resolved.Config;

        // Temperature 0 means greedy whoever set it, and so does sampling from the top-1 token. A positive
        // temperature that the request, a profile or a pin sets asks for sampling even on a greedy server; a
        // default one samples only when the defaults say so, and a range that clamps it does not change that.
        var chosen = requested.Temperature is not null || profile?.Temperature is not null || (policy?.Pins.ContainsKey(PolicyParams.Temperature) ?? false);
        var samplesByDefault = profile?.DoSample ?? fallback.DoSample!.Value;
        var doSample = config.Temperature > 0 && config.TopK != 1 && (chosen || samplesByDefault);
        return resolved with { Config = config with { DoSample = doSample } };
    }
}
