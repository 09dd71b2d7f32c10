using InferenceCluster.Contracts;
using InferenceCluster.Gateway.OpenAI;
using InferenceCluster.Gateway.Workers;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace InferenceCluster.Gateway.Policy;

/// <summary>
/// The one merge that turns a validated request into the complete config it runs with, once, at the edge: the
/// <c>model:profile</c> suffix picks a profile; the request, then the profile, then the server's defaults fill each
/// value; the key's policy pins, ranges and caps them (<see cref="KeyPolicyEnforcer"/>); then greedy versus sampled
/// is decided, with everything known. A coupled top_p follows the final temperature. What changed goes in the
/// <see cref="PolicyAdjustment.HeaderName"/> response header and the result in <see cref="EffectiveConfigHeader.HeaderName"/>.
/// </summary>
internal sealed class GenerationPolicy(IOptionsMonitor<SamplingSettings> defaults, IOptionsMonitor<PolicyOptions> options, WorkerRegistry workers)
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

    /// <summary>The coupled top_p bands measured on the production model: 0.40–0.45 → 0.80–0.85, 0.50–0.55 → 0.90–0.95, 0.60–0.65 → 0.95–0.99.</summary>
    public static IReadOnlyList<CoupledTopPBand> TunedBands { get; } =
    [
        new() { TemperatureMin = 0.40, TemperatureMax = 0.45, TopPMin = 0.80, TopPMax = 0.85 },
        new() { TemperatureMin = 0.50, TemperatureMax = 0.55, TopPMin = 0.90, TopPMax = 0.95 },
        new() { TemperatureMin = 0.60, TemperatureMax = 0.65, TopPMin = 0.95, TopPMax = 0.99 },
    ];

    /// <summary>
    /// Resolves the config of a request for its model (which may carry a profile suffix), under the policy of the
    /// caller's key (none in open mode). Stop strings, log-probabilities and guidance are the request's alone.
    /// </summary>
    public PolicyDecision Decide(HttpContext context, string? keyName, KeyPolicy? keyPolicy, ValidatedRequest request)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);
        var requestedModel = request.Model;
        var settings = options.CurrentValue;
        var (model, profileName) = ModelProfile.Split(requestedModel);
        if (profileName is not null && !settings.Profiles.ContainsKey(profileName) && workers.Find(requestedModel).IsKnown)
        {
            // A colon that belongs to a served model's own id (e.g. 'qwen:7b'), not a profile suffix.
            (model, profileName) = (requestedModel, null);
        }

        SamplingSettings? profile = null;
        if (profileName is not null && !settings.Profiles.TryGetValue(profileName, out profile))
        {
            var known = settings.Profiles.Count == 0 ? "none are configured" : "known: " + string.Join(", ", settings.Profiles.Keys.Order(StringComparer.Ordinal));
            throw new OpenAIException(
                StatusCodes.Status400BadRequest,
                $"The profile '{profileName}' in model '{requestedModel}' does not exist ({known}).",
                OpenAIException.InvalidRequestType,
                "model",
                "profile_not_found");
        }

        if (model.Length == 0)
        {
            throw OpenAIException.InvalidValue("model", $"'{requestedModel}' names a profile but no model.");
        }

        var (config, adjustments) = Resolve(request.Sampling, defaults.CurrentValue, profileName, profile, settings.CoupledTopP, keyPolicy, request.MaxTokensParam);
        config = config with
        {
            Stop = request.Stop,
            Logprobs = request.Logprobs,
            TopLogprobs = request.TopLogprobs,
            Guidance = request.Guidance,
        };
        if (adjustments.Count > 0)
        {
            context.Response.Headers[PolicyAdjustment.HeaderName] = PolicyAdjustment.Header(adjustments);
        }

        context.Response.Headers[EffectiveConfigHeader.HeaderName] = EffectiveConfigHeader.Format(config);
        return new PolicyDecision(model, config, adjustments, profileName, keyName);
    }

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

    /// <summary>The merge with neither profile, coupled top_p nor key policy: the request over the server's defaults.</summary>
    public static GenerationConfig Resolve(SamplingSettings requested, SamplingSettings defaults) =>
        Resolve(requested, defaults, profileName: null, profile: null, coupled: null, policy: null).Config;

    /// <summary>The merge: the complete config, and every value the server chose over what the client sent (or left unset).</summary>
    public static (GenerationConfig Config, IReadOnlyList<PolicyAdjustment> Adjustments) Resolve(
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
            && CoupledTopP(KeyPolicyEnforcer.FinalTemperature(temperature, requested, policy), coupled.Bands) is { } matched)
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
        var config = KeyPolicyEnforcer.Apply(merged, adjustments, requested, policy, maxTokensParam);

        // Temperature 0 means greedy whoever set it, and so does sampling from the top-1 token. A positive
        // temperature that the request, a profile or a pin sets asks for sampling even on a greedy server; a
        // default one samples only when the defaults say so, and a range that clamps it does not change that.
        var chosen = requested.Temperature is not null || profile?.Temperature is not null || (policy?.Pins.ContainsKey(PolicyParams.Temperature) ?? false);
        var samplesByDefault = profile?.DoSample ?? fallback.DoSample!.Value;
        var doSample = config.Temperature > 0 && config.TopK != 1 && (chosen || samplesByDefault);
        return (config with { DoSample = doSample }, adjustments);
    }

    /// <summary>
    /// The top_p that goes with a temperature, by linear interpolation inside a band (<paramref name="bands"/>, or
    /// <see cref="TunedBands"/> when none are configured); null when it lies outside every band (the default then stays).
    /// </summary>
    internal static double? CoupledTopP(double temperature, IReadOnlyList<CoupledTopPBand> bands)
    {
        foreach (var band in bands.Count == 0 ? TunedBands : bands)
        {
            if (temperature < band.TemperatureMin || temperature > band.TemperatureMax)
            {
                continue;
            }

            var width = band.TemperatureMax - band.TemperatureMin;
            var fraction = width <= 0 ? 0 : (temperature - band.TemperatureMin) / width;

            // Rounded so that the header and the trace show 0.93, not 0.9299999999999999.
            return Math.Round(band.TopPMin + (fraction * (band.TopPMax - band.TopPMin)), 4);
        }

        return null;
    }
}
