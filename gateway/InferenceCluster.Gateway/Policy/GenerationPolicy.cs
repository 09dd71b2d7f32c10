using InferenceCluster.Contracts;
using InferenceCluster.Gateway.OpenAI;
using InferenceCluster.Gateway.Workers;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace InferenceCluster.Gateway.Policy;

/// <summary>
/// The whole road from a validated request to the config it runs with: the <c>model:profile</c> suffix, then
/// <see cref="GenerationConfigResolver"/> (request, profile, defaults, the caller's key policy). Puts what changed in
/// the <see cref="PolicyAdjustment.HeaderName"/> response header and the result in <see cref="EffectiveConfigHeader.HeaderName"/>.
/// </summary>
internal sealed class GenerationPolicy(IOptionsMonitor<SamplingSettings> defaults, IOptionsMonitor<PolicyOptions> options, WorkerRegistry workers)
{
    /// <summary>
    /// Resolves the config of a chat or text completion request for its model (which may carry a profile suffix),
    /// under the policy of the caller's key (none in open mode). Stop strings, log-probabilities and guidance are
    /// the request's alone.
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

        var resolved = GenerationConfigResolver.Resolve(request.Sampling, defaults.CurrentValue, profileName, profile, settings.CoupledTopP, keyPolicy, request.MaxTokensParam);
        resolved = resolved with
        {
            Config = resolved.Config with
            {
                Stop = request.Stop,
                Logprobs = request.Logprobs,
                TopLogprobs = request.TopLogprobs,
                Guidance = request.Guidance,
            },
        };
        if (resolved.Adjustments.Count > 0)
        {
            context.Response.Headers[PolicyAdjustment.HeaderName] = PolicyAdjustment.Header(resolved.Adjustments);
        }

        context.Response.Headers[EffectiveConfigHeader.HeaderName] = EffectiveConfigHeader.Format(resolved.Config);

        return new PolicyDecision(model, resolved, profileName, keyName);
    }
}
