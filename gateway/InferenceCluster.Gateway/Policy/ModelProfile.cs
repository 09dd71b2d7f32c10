using InferenceCluster.Contracts;
using InferenceCluster.Gateway.OpenAI;
using InferenceCluster.Gateway.Workers;
using Microsoft.AspNetCore.Http;

namespace InferenceCluster.Gateway.Policy;

/// <summary>
/// The profile convention: <c>model:profile</c> (e.g. <c>deepseek-r1-test-tiny:math</c>). A suffix passes
/// through unmodified OpenAI SDKs, which a new body field or header would not. Routing uses the base id
/// (<see cref="Model"/>); the profile's <see cref="Settings"/> fill what the request leaves unset.
/// </summary>
internal sealed record ModelProfile(string Model, string? Name, SamplingSettings? Settings)
{
    public const char Separator = ':';

    public static (string Model, string? Profile) Split(string model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var index = model.LastIndexOf(Separator);
        return index < 0 ? (model, null) : (model[..index], model[(index + 1)..]);
    }

    /// <summary>
    /// The id a model is served and routed by: a suffix naming a configured profile selects that profile, not another
    /// model, so it is cut off. Any other colon belongs to the id itself (forwarded ids like 'llama3:8b').
    /// </summary>
    public static string ServedId(string model, IReadOnlyDictionary<string, SamplingSettings> profiles) =>
        Configured(model, profiles)?.Model ?? model;

    /// <summary>
    /// The base model and profile <paramref name="requestedModel"/> names. A suffix that names no configured profile
    /// belongs to the id when a served model has that id, or may have (the gateway has not heard every worker yet);
    /// otherwise it is a 400 listing the profiles there are.
    /// </summary>
    public static ModelProfile Find(string requestedModel, IReadOnlyDictionary<string, SamplingSettings> profiles, WorkerRegistry workers)
    {
        ArgumentNullException.ThrowIfNull(requestedModel);
        ArgumentNullException.ThrowIfNull(profiles);
        ArgumentNullException.ThrowIfNull(workers);
        if (Configured(requestedModel, profiles) is { } configured)
        {
            return configured;
        }

        var profileName = Split(requestedModel).Profile;

        // No suffix, or a colon that belongs to a served model's own id (e.g. 'qwen:7b'), not a profile suffix; while
        // the gateway may not have heard every worker yet, the id may be a model not announced yet.
        if (profileName is null
            || (!profiles.ContainsKey(profileName) && (workers.Find(requestedModel).IsKnown || workers.Discovering() is not null)))
        {
            return requestedModel.Length == 0 ? throw NoModel(requestedModel) : new ModelProfile(requestedModel, null, null);
        }

        if (profiles.ContainsKey(profileName))
        {
            throw NoModel(requestedModel);
        }

        var known = profiles.Count == 0 ? "none are configured" : "known: " + string.Join(", ", profiles.Keys.Order(StringComparer.Ordinal));
        throw new OpenAIException(
            StatusCodes.Status400BadRequest,
            $"The profile '{QuotedText.Of(profileName)}' in model '{QuotedText.Of(requestedModel)}' does not exist ({known}).",
            OpenAIException.InvalidRequestType,
            "model",
            "profile_not_found");
    }

    /// <summary>The base model and the configured profile its suffix names; null when it names none or there is no base.</summary>
    private static ModelProfile? Configured(string model, IReadOnlyDictionary<string, SamplingSettings> profiles)
    {
        ArgumentNullException.ThrowIfNull(profiles);
        var (baseId, name) = Split(model);
        return name is not null && baseId.Length > 0 && profiles.TryGetValue(name, out var settings)
            ? new ModelProfile(baseId, name, settings)
            : null;
    }

    private static OpenAIException NoModel(string requestedModel) =>
        OpenAIException.InvalidValue("model", $"'{QuotedText.Of(requestedModel)}' names a profile but no model.");
}
