using System.Globalization;
using InferenceCluster.Contracts;
using InferenceCluster.Gateway.OpenAI;
using InferenceCluster.Gateway.Workers;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace InferenceCluster.Gateway.Policy;

/// <summary>
/// The one merge that turns a validated request into the complete config it runs with, once, at the edge: the request,
/// then the <c>model:profile</c> profile, then the server's defaults fill each value; the key's policy pins values,
/// rejects a client's value outside its ranges (a server-chosen one is clamped instead), caps max_tokens and raises the
/// repetition penalty of long outputs; then greedy versus sampled is decided, with everything known, and whether the
/// max_tokens and min_tokens are the server's for the worker to fit to the context (<see cref="ContextFitDecision"/>).
/// A coupled top_p follows the final temperature. What changed goes in the <see cref="PolicyAdjustment.HeaderName"/>
/// response header and the result in <see cref="EffectiveConfigHeader.HeaderName"/>.
/// </summary>
internal sealed class GenerationPolicy(IOptionsMonitor<SamplingSettings> defaults, IOptionsMonitor<PolicyOptions> options, WorkerRegistry workers)
{
    public const string OutsideRangeCode = "outside_allowed_range";

    /// <summary>The base model and profile a request's model names, among the profiles configured now (<see cref="ModelProfile.Find"/>).</summary>
    public ModelProfile Profile(string requestedModel) => ModelProfile.Find(requestedModel, options.CurrentValue.Profiles, workers);

    /// <summary>
    /// The config of a request under its <paramref name="profile"/> and the policy of the caller's key (none in open
    /// mode), and every value the server chose over what the client sent. Stop strings, log-probabilities and guidance
    /// are the request's alone.
    /// </summary>
    public (GenerationConfig Config, IReadOnlyList<PolicyAdjustment> Adjustments) Decide(
        HttpContext context, KeyPolicy? keyPolicy, ValidatedRequest request, ModelProfile profile)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(profile);
        var (config, adjustments) = Resolve(
            request.Sampling, defaults.CurrentValue, profile.Name, profile.Settings, options.CurrentValue.CoupledTopP, keyPolicy, request.MaxTokensParam);
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
        return (config, adjustments);
    }

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

        var fallback = ServerDefaults.WithBuiltIn(defaults);
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
            && CoupledTopP(PinnedOr(temperature, policy), coupled.Bands) is { } matched)
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
        // A client's min_tokens is checked against the max_tokens the request runs with, after the key's policy: see TokenFloor.
        var minTokens = (int)Merge(requested.MinTokens, profile?.MinTokens, fallback.MinTokens, PolicyParams.MinTokens);

        var merged = new GenerationConfig
        {
            // Decided below, once the policy has had its say.
            DoSample = false,
            Temperature = temperature,
            TopP = topP,
            TopK = topK,
            MaxTokens = maxTokens,
            // A floor the server chose above this ceiling is lowered (not a 400), once the key's policy has set the
            // ceiling it runs with: see TokenFloor.
            MinTokens = minTokens,
            RepetitionPenalty = repetitionPenalty,
            Seed = requested.Seed ?? profile?.Seed ?? fallback.Seed,
        };
        var config = ApplyKeyPolicy(merged, adjustments, requested, policy, maxTokensParam);

        // Temperature 0 means greedy whoever set it, and so does sampling from the top-1 token. A positive
        // temperature that the request, a profile or a pin sets asks for sampling even on a greedy server; a
        // default one samples only when the defaults say so, and a range that clamps it does not change that.
        var chosen = requested.Temperature is not null || profile?.Temperature is not null || (policy?.Pins.ContainsKey(PolicyParams.Temperature) ?? false);
        var samplesByDefault = profile?.DoSample ?? fallback.DoSample!.Value;
        var doSample = config.Temperature > 0 && config.TopK != 1 && (chosen || samplesByDefault);

        return (config with
        {
            DoSample = doSample,
            FitMaxTokensToContext = ContextFitDecision.ServerChosen(requested.MaxTokens, PolicyParams.MaxTokens, policy),
            FitMinTokensToContext = ContextFitDecision.ServerChosen(requested.MinTokens, PolicyParams.MinTokens, policy),
        }, adjustments);
    }

    /// <summary>
    /// Applies a key's <paramref name="policy"/> to a merged <paramref name="config"/>, then fits its floor under the final
    /// max_tokens (<see cref="TokenFloor"/>), and adds each change to <paramref name="adjustments"/>, so the client and the
    /// trace can see it; an error for a client's max_tokens names it <paramref name="maxTokensParam"/>, as the request's
    /// wire format calls it.
    /// </summary>
    internal static GenerationConfig ApplyKeyPolicy(
        GenerationConfig config, List<PolicyAdjustment> adjustments, SamplingSettings requested, KeyPolicy? policy, string maxTokensParam = PolicyParams.MaxTokens)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(adjustments);
        ArgumentNullException.ThrowIfNull(requested);
        if (policy is null)
        {
            return FitFloor(config, adjustments, requested, policy, capped: false, ceilingFromPolicy: false);
        }

        var before = adjustments.Count;

        // min_tokens is the floor's, decided last (TokenFloor), against the max_tokens these leave.
        foreach (var (param, pinned) in policy.Pins.Where(pin => pin.Key != PolicyParams.MinTokens).OrderBy(pin => pin.Key, StringComparer.Ordinal))
        {
            config = Adjust(config, adjustments, param, pinned, "pinned");
        }

        foreach (var (param, range) in policy.Ranges.Where(range => range.Key != PolicyParams.MinTokens).OrderBy(range => range.Key, StringComparer.Ordinal))
        {
            var value = Get(config, param);
            if (policy.Pins.ContainsKey(param) || range.Contains(value))
            {
                continue;
            }

            if (requested.Value(param) is not null)
            {
                // The client is told in its own wire format's words; the policy's names are chat's.
                throw OutsideRange(param == PolicyParams.MaxTokens ? maxTokensParam : param, value, range);
            }

            config = Adjust(config, adjustments, param, range.Clamp(value), "range");
        }

        // A cap equal to the max_tokens the rest leaves changes nothing, but it is the key's ceiling all the same.
        var capBinds = policy.MaxTokensCap is { } cap && config.MaxTokens >= cap;
        var capped = capBinds && config.MaxTokens > policy.MaxTokensCap;
        if (capped)
        {
            config = config with { MaxTokens = policy.MaxTokensCap!.Value };
            adjustments.Add(new PolicyAdjustment(PolicyParams.MaxTokens, config.MaxTokens, "capped"));
        }

        if (policy.LongOutput is { } rule
            && config.MaxTokens > rule.AboveTokens
            && config.RepetitionPenalty < rule.RepetitionPenalty
            && !policy.Pins.ContainsKey(PolicyParams.RepetitionPenalty))
        {
            config = config with { RepetitionPenalty = rule.RepetitionPenalty };
            adjustments.Add(new PolicyAdjustment(PolicyParams.RepetitionPenalty, rule.RepetitionPenalty, "long_output"));
        }

        // A pin sets the ceiling even when it equals the merged max_tokens and so changed nothing.
        var ceilingFromPolicy = policy.Pins.ContainsKey(PolicyParams.MaxTokens) || capBinds
            || adjustments.Skip(before).Any(adjustment => adjustment.Param == PolicyParams.MaxTokens);
        return FitFloor(config, adjustments, requested, policy, capped, ceilingFromPolicy);
    }

    private static GenerationConfig FitFloor(
        GenerationConfig config, List<PolicyAdjustment> adjustments, SamplingSettings requested, KeyPolicy? policy, bool capped, bool ceilingFromPolicy)
    {
        double? pin = policy is not null && policy.Pins.TryGetValue(PolicyParams.MinTokens, out var pinned) ? pinned : null;
        var min = TokenFloor.Fit(
            config.MinTokens, config.MaxTokens, requested.MinTokens is not null, pin, policy?.Ranges.GetValueOrDefault(PolicyParams.MinTokens),
            capped, ceilingFromPolicy, adjustments);
        return min == config.MinTokens ? config : config with { MinTokens = min };
    }

    /// <summary>The 400 for a client's <paramref name="named"/> <paramref name="value"/> outside the key's <paramref name="range"/>.</summary>
    internal static OpenAIException OutsideRange(string named, double value, ParameterRange range) => new(
        StatusCodes.Status400BadRequest,
        $"'{named}' = {Format(value)} is outside the range this API key allows ({Format(range.Min)} to {Format(range.Max)}).",
        OpenAIException.InvalidRequestType,
        named,
        OutsideRangeCode);

    /// <summary>
    /// The top_p that goes with a temperature, by linear interpolation inside a band (<paramref name="bands"/>, or
    /// <see cref="CoupledTopPOptions.TunedBands"/> when none are configured); null when it lies outside every band (the default then stays).
    /// </summary>
    internal static double? CoupledTopP(double temperature, IReadOnlyList<CoupledTopPBand> bands)
    {
        foreach (var band in bands.Count == 0 ? CoupledTopPOptions.TunedBands : bands)
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

    /// <summary>
    /// The temperature the client set, as <see cref="ApplyKeyPolicy"/> will leave it: the key's pin if it has one. A
    /// range never moves a client's value (it rejects it instead), so only a pin can change it.
    /// </summary>
    private static double PinnedOr(double temperature, KeyPolicy? policy) =>
        policy is not null && policy.Pins.TryGetValue(PolicyParams.Temperature, out var pinned) ? pinned : temperature;

    /// <summary>Sets <paramref name="param"/> and reports it; nothing changed, nothing reported.</summary>
    private static GenerationConfig Adjust(GenerationConfig config, List<PolicyAdjustment> adjustments, string param, double value, string reason)
    {
        var adjusted = Set(config, param, value);
        if (Get(adjusted, param) != Get(config, param))
        {
            adjustments.Add(new PolicyAdjustment(param, Get(adjusted, param), reason));
        }

        return adjusted;
    }

    private static double Get(GenerationConfig config, string param) => param switch
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
        PolicyParams.MaxTokens => config with { MaxTokens = (int)value },
        PolicyParams.RepetitionPenalty => config with { RepetitionPenalty = value },
        _ => throw new ArgumentOutOfRangeException(nameof(param), param, "Not a policy parameter."),
    };

    private static string Format(double? value) => value?.ToString("0.####", CultureInfo.InvariantCulture) ?? "unbounded";
}
