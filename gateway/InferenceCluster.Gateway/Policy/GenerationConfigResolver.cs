using InferenceCluster.Contracts;
using InferenceCluster.Gateway.OpenAI;

namespace InferenceCluster.Gateway.Policy;

/// <summary>
/// Resolves the complete generation config of one request, once, at the edge. Precedence: server
/// defaults &lt; the selected profile &lt; the request's own values; a coupled top_p fills a top_p the
/// request left unset when it set a temperature. The result travels with the command; nothing is kept.
/// </summary>
internal static class GenerationConfigResolver
{
    public static GenerationConfig Resolve(SamplingRequest requested, GenerationDefaultsOptions defaults) =>
        Resolve(requested, defaults, profileName: null, profile: null, coupled: null).Config;

    public static ResolvedGeneration Resolve(
        SamplingRequest requested,
        GenerationDefaultsOptions defaults,
        string? profileName,
        GenerationProfile? profile,
        CoupledTopPOptions? coupled)
    {
        ArgumentNullException.ThrowIfNull(requested);
        ArgumentNullException.ThrowIfNull(defaults);
        var adjustments = new List<PolicyAdjustment>();
        var fromProfile = $"profile {profileName}";

        double Base(double? requestedValue, double? profileValue, double defaultValue, string param)
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

            return defaultValue;
        }

        var temperature = Base(requested.Temperature, profile?.Temperature, defaults.Temperature, PolicyParams.Temperature);

        // Temperature 0 means greedy decoding whoever set it; a request or profile that sets a positive
        // temperature asks for sampling even when the server's default is greedy.
        var doSample = temperature > 0 && (requested.Temperature is not null || profile?.Temperature is not null || defaults.DoSample);

        double topP;
        if (requested.TopP is null
            && requested.Temperature is { } own
            && coupled is { Enabled: true }
            && CoupledTopP.For(own, coupled.Bands) is { } matched)
        {
            // The client moved the temperature; a profile's or default's top_p was tuned for another one.
            topP = matched;
            adjustments.Add(new PolicyAdjustment(PolicyParams.TopP, matched, "coupled"));
        }
        else
        {
            topP = Base(requested.TopP, profile?.TopP, defaults.TopP, PolicyParams.TopP);
        }

        var topK = (int)Base(requested.TopK, profile?.TopK, defaults.TopK, PolicyParams.TopK);
        var maxTokens = (int)Base(requested.MaxTokens, profile?.MaxTokens, defaults.MaxTokens, PolicyParams.MaxTokens);
        var repetitionPenalty = Base(requested.RepetitionPenalty, profile?.RepetitionPenalty, defaults.RepetitionPenalty, PolicyParams.RepetitionPenalty);

        var minTokens = requested.MinTokens ?? 0;
        if (minTokens > maxTokens)
        {
            throw OpenAIException.InvalidValue(
                "min_tokens",
                $"'min_tokens' ({minTokens}) must not exceed the maximum number of tokens ({maxTokens}, the server default or profile value).");
        }

        var config = new GenerationConfig
        {
            DoSample = doSample,
            Temperature = temperature,
            TopP = topP,
            TopK = topK,
            MaxTokens = maxTokens,
            MinTokens = minTokens,
            RepetitionPenalty = repetitionPenalty,
            Seed = requested.Seed,
            Stop = requested.Stop,
            Logprobs = requested.Logprobs,
            TopLogprobs = requested.TopLogprobs,
        };
        return new ResolvedGeneration(config, adjustments);
    }
}
